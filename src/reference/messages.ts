import type { Messages } from '../i18n/index.js';

export const messages: Messages = { kk: {}, ru: {}, en: {} };
