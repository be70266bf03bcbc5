export default {
  kk: {
    'auth.title': 'Жүйеге кіру',
    'auth.login': 'Логин',
    'auth.password': 'Құпиясөз',
    'auth.submit': 'Кіру',
  },
  ru: {
    'auth.title': 'Вход в систему',
    'auth.login': 'Логин',
    'auth.password': 'Пароль',
    'auth.submit': 'Войти',
  },
  en: {
    'auth.title': 'Sign in',
    'auth.login': 'Login',
    'auth.password': 'Password',
    'auth.submit': 'Sign in',
  },
};
