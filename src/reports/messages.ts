import type { Messages } from '../i18n/types.js';

export const messages: Messages = {
  kk: {},
  ru: {},
  en: {},
};
