import type { Actor } from '../../src/auth/actor.js';
import type { Db } from '../../src/db/connect.js';
import { createOrganisation } from '../../src/org/organisations.js';
import type { Role } from '../../src/org/schema.js';
import { createUser } from '../../src/org/users.js';

export const TEST_PASSWORD = 'test-password-1';

/** Republic → region → district → two schools, with a user of every role. */
export async function seedTenants(db: Db) {
  const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан Республикасы' });
  const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
  const district = await createOrganisation(db, null, { parentId: region.id, kind: 'district', name: 'Семей қаласы' });
  const otherDistrict = await createOrganisation(db, null, { parentId: region.id, kind: 'district', name: 'Аягөз ауданы' });
  const schoolA = await createOrganisation(db, null, { parentId: district.id, kind: 'school', name: '№1 мектеп-гимназия' });
  const schoolB = await createOrganisation(db, null, { parentId: otherDistrict.id, kind: 'school', name: '№2 жалпы білім беретін мектеп' });

  const user = async (login: string, role: Role, organisationId: number, path: string, extra: Partial<Actor> = {}): Promise<Actor> => {
    const id = await createUser(db, null, {
      login,
      password: TEST_PASSWORD,
      fullName: login,
      role,
      organisationId,
      classGrade: extra.classGrade ?? null,
      classLetter: extra.classLetter ?? null,
    });
    return {
      userId: id,
      login,
      fullName: login,
      role,
      organisationId,
      orgPath: path,
      classGrade: extra.classGrade ?? null,
      classLetter: extra.classLetter ?? null,
      readerId: null,
      locale: 'kk',
    };
  };

  return {
    republic,
    region,
    district,
    otherDistrict,
    schoolA,
    schoolB,
    admin: await user('admin', 'admin', republic.id, republic.path),
    methodologist: await user('method', 'methodologist', district.id, district.path),
    librarianA: await user('librarian-a', 'librarian', schoolA.id, schoolA.path),
    librarianB: await user('librarian-b', 'librarian', schoolB.id, schoolB.path),
    teacherA: await user('teacher-a', 'teacher', schoolA.id, schoolA.path, { classGrade: 5, classLetter: 'Ә' }),
  };
}

export type Tenants = Awaited<ReturnType<typeof seedTenants>>;
