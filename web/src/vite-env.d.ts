/// <reference types="vite/client" />

/** One language's interface texts, a part at a time (web/build/locale-split.ts). */
declare module 'virtual:texts/*' {
  const texts: Record<string, string>;
  export default texts;
}
