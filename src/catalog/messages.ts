import type { Messages } from '../i18n/index.js';

export const messages: Messages = {
  kk: {
    'catalog.invalid_isbn': '«{{isbn}}» — жарамсыз ISBN: нөмірді немесе бақылау санын тексеріңіз',
    'catalog.title_required': 'Кітаптың атауын жазыңыз',
    'catalog.bad_age_rating': '«{{value}}» жас шектеуі белгісіз. Мыналардың бірін таңдаңыз: 0+, 6+, 12+, 16+, 18+',
    'catalog.bad_year': '{{value}} — басып шығарылған жыл қате',
    'catalog.author_dates': 'Автордың қайтыс болған күні ({{death}}) туған күнінен ({{birth}}) бұрын болмайды',
    'catalog.author_name_required': 'Автордың аты-жөнін жазыңыз',
    'catalog.isbn_exists': 'ISBN {{isbn}} нөмірлі кітап каталогта бар (жазба № {{id}}). Бар жазбаны пайдаланыңыз',
  },
  ru: {
    'catalog.invalid_isbn': '«{{isbn}}» — неверный ISBN: проверьте номер и контрольную цифру',
    'catalog.title_required': 'Укажите заглавие книги',
    'catalog.bad_age_rating': 'Неизвестная возрастная маркировка «{{value}}». Выберите одну из: 0+, 6+, 12+, 16+, 18+',
    'catalog.bad_year': 'Неверный год издания: {{value}}',
    'catalog.author_dates': 'Дата смерти автора ({{death}}) не может быть раньше даты рождения ({{birth}})',
    'catalog.author_name_required': 'Укажите имя автора',
    'catalog.isbn_exists': 'Книга с ISBN {{isbn}} уже есть в каталоге (запись № {{id}}). Используйте существующую запись',
  },
  en: {
    'catalog.invalid_isbn': '“{{isbn}}” is not a valid ISBN: check the number and its check digit',
    'catalog.title_required': 'Enter the title of the book',
    'catalog.bad_age_rating': 'Unknown age rating “{{value}}”. Choose one of 0+, 6+, 12+, 16+, 18+',
    'catalog.bad_year': 'Invalid year of publication: {{value}}',
    'catalog.author_dates': "The author's date of death ({{death}}) cannot be before the date of birth ({{birth}})",
    'catalog.author_name_required': "Enter the author's name",
    'catalog.isbn_exists': 'A book with ISBN {{isbn}} is already in the catalogue (record {{id}}). Use the existing record',
  },
};
