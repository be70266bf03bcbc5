import type { Messages } from '../i18n/types.js';

export const messages: Messages = {
  kk: {
    'org.cannot_close_own_account': 'Өз есептік жазбаңызды жаба алмайсыз',
    'org.setup_done': 'Кітапхана бұрын бапталған: жаңа адамдарды жүйеге кіре алатындар қосады',
    'org.bad_parent': '«{{kind}}» түріндегі ұйым «{{parentKind}}» ұйымының құрамында бола алмайды',
    'org.password_too_short': 'Құпиясөз кемінде {{min}} таңбадан тұруы керек',
    'org.teacher_needs_class': 'Мұғалімге сынып көрсетілуі керек',
    'org.login_taken': '«{{login}}» логині бос емес',
    'org.audit_bad_date': '«{{field}}» күні қате: {{value}}. ЖЖЖЖ-АА-КК түрінде енгізіңіз',
    'org.audit_bad_period': 'Кезең қате: басы ({{from}}) соңынан ({{to}}) кейін тұр',
  },
  ru: {
    'org.cannot_close_own_account': 'Нельзя закрыть собственную учётную запись',
    'org.setup_done': 'Библиотека уже настроена: новых людей добавляют те, кто может войти в систему',
    'org.bad_parent': 'Организация вида «{{kind}}» не может входить в «{{parentKind}}»',
    'org.password_too_short': 'Пароль должен содержать не менее {{min}} символов',
    'org.teacher_needs_class': 'Для учителя нужно указать класс',
    'org.login_taken': 'Логин «{{login}}» уже занят',
    'org.audit_bad_date': 'Неверная дата «{{field}}»: {{value}}. Введите в виде ГГГГ-ММ-ДД',
    'org.audit_bad_period': 'Неверный период: начало ({{from}}) позже конца ({{to}})',
  },
  en: {
    'org.cannot_close_own_account': 'You cannot close your own account',
    'org.setup_done': 'The library is already set up: new people are added by those who can sign in',
    'org.bad_parent': 'An organisation of kind “{{kind}}” cannot belong to a “{{parentKind}}”',
    'org.password_too_short': 'The password must have at least {{min}} characters',
    'org.teacher_needs_class': 'A teacher needs a class',
    'org.login_taken': 'The login “{{login}}” is taken',
    'org.audit_bad_date': 'Invalid date “{{field}}”: {{value}}. Use YYYY-MM-DD',
    'org.audit_bad_period': 'Invalid period: the start ({{from}}) is after the end ({{to}})',
  },
};
