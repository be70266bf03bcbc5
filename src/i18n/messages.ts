import type { Messages } from './index.js';

export const messages: Messages = {
  kk: {
    'common.not_found': 'Табылмады: {{entity}} {{id}}',
    'common.validation': 'Деректер қате толтырылған: {{summary}}',
    'common.internal': 'Ішкі қате орын алды. Әрекетті қайталап көріңіз.',
    'common.conflict': 'Бұл жазба басқа жазбамен қайшы келеді',
    'auth.unauthorised': 'Жүйеге кіріңіз',
    'auth.forbidden': 'Бұл әрекетке рұқсатыңыз жоқ',
    'auth.bad_credentials': 'Логин немесе құпиясөз қате',
    'auth.too_many_attempts': 'Тым көп сәтсіз әрекет. {{seconds}} секундтан кейін қайталаңыз',
    'auth.csrf': 'Сеанс қорғау белгісі жарамсыз. Бетті жаңартыңыз',
  },
  ru: {
    'common.not_found': 'Не найдено: {{entity}} {{id}}',
    'common.validation': 'Данные заполнены неверно: {{summary}}',
    'common.internal': 'Внутренняя ошибка. Повторите попытку.',
    'common.conflict': 'Эта запись противоречит другой записи',
    'auth.unauthorised': 'Войдите в систему',
    'auth.forbidden': 'У вас нет прав на это действие',
    'auth.bad_credentials': 'Неверный логин или пароль',
    'auth.too_many_attempts': 'Слишком много неудачных попыток. Повторите через {{seconds}} с',
    'auth.csrf': 'Защитный токен сеанса недействителен. Обновите страницу',
  },
  en: {
    'common.not_found': 'Not found: {{entity}} {{id}}',
    'common.validation': 'Invalid input: {{summary}}',
    'common.internal': 'An internal error occurred. Please try again.',
    'common.conflict': 'This record conflicts with another one',
    'auth.unauthorised': 'Please sign in',
    'auth.forbidden': 'You are not allowed to do this',
    'auth.bad_credentials': 'Wrong login or password',
    'auth.too_many_attempts': 'Too many failed attempts. Try again in {{seconds}} s',
    'auth.csrf': 'The session protection token is invalid. Reload the page',
  },
};
