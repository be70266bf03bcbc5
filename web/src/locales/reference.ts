/** Texts of the reference service, periodicals and digitised documents. */
export default {
  kk: {
    "nav.reference.log": "Анықтама қызметі",
    "nav.reference.ask": "Кітапханашыдан сұрау",
  },
  ru: {
    "nav.reference.log": "Справочная служба",
    "nav.reference.ask": "Спросить библиотекаря",
  },
  en: {
    "nav.reference.log": "Reference service",
    "nav.reference.ask": "Ask the librarian",
  },
};
