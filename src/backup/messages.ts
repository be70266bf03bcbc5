import type { Messages } from '../i18n/types.js';

export const messages: Messages = {
  kk: {
    'backup.server': 'PostgreSQL серверінің резервтік көшірмесін сервердің өз құралдары (pg_dump) жасайды',
    'backup.failed': 'Резервтік көшірме жасалмады: {{reason}}',
    'backup.no_passphrase': 'Резервтік көшірменің құпия сөз тіркесі орнатылмаған: балалардың жеке деректері шифрланбай жазылмайды (npm run setup -- --backup-passphrase)',
  },
  ru: {
    'backup.server': 'Резервные копии сервера PostgreSQL делаются его собственными средствами (pg_dump)',
    'backup.failed': 'Резервная копия не создана: {{reason}}',
    'backup.no_passphrase': 'Не задана парольная фраза резервных копий: персональные данные детей не записываются без шифрования (npm run setup -- --backup-passphrase)',
  },
  en: {
    'backup.server': 'A PostgreSQL server is backed up with its own tools (pg_dump)',
    'backup.failed': 'The backup was not made: {{reason}}',
    'backup.no_passphrase': "No backup passphrase is set: children's personal data is not written unencrypted (npm run setup -- --backup-passphrase)",
  },
};
