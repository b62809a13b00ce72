/** Workbench preferences kept in localStorage: font size and theme override. */
import { ref, watch } from 'vue';

export type ThemeChoice = 'system' | 'light' | 'dark';

const key = 'ftlab.settings';
const fontSize = ref(14);
const themeChoice = ref<ThemeChoice>('system');

try {
  const saved = JSON.parse(localStorage.getItem(key) ?? '{}') as { fontSize?: number; theme?: ThemeChoice };
  if (typeof saved.fontSize === 'number' && saved.fontSize >= 10 && saved.fontSize <= 28) fontSize.value = saved.fontSize;
  if (saved.theme === 'light' || saved.theme === 'dark' || saved.theme === 'system') themeChoice.value = saved.theme;
} catch {
  // Unreadable settings: keep the defaults.
}
watch([fontSize, themeChoice], () => localStorage.setItem(key, JSON.stringify({ fontSize: fontSize.value, theme: themeChoice.value })));

export function useSettings() {
  return { fontSize, themeChoice };
}
