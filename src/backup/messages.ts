import type { Messages } from '../i18n/types.js';

export const messages: Messages = {
  kk: {
    'backup.server': 'PostgreSQL серверінің резервтік көшірмесін сервердің өз құралдары (pg_dump) жасайды',
    'backup.failed': 'Резервтік көшірме жасалмады: {{reason}}',
  },
  ru: {
    'backup.server': 'Резервные копии сервера PostgreSQL делаются его собственными средствами (pg_dump)',
    'backup.failed': 'Резервная копия не создана: {{reason}}',
  },
  en: {
    'backup.server': 'A PostgreSQL server is backed up with its own tools (pg_dump)',
    'backup.failed': 'The backup was not made: {{reason}}',
  },
};
