/** Light or dark, following the operating system and updating when it changes. */
import { onBeforeUnmount, ref } from 'vue';

export function usePreferredTheme() {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const theme = ref<'light' | 'dark'>(query.matches ? 'dark' : 'light');
  const update = (e: MediaQueryListEvent) => (theme.value = e.matches ? 'dark' : 'light');
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return theme;
}
