/**
 * Electron security policy in one place: the CSP, what counts as the app's own
 * page, and refusing navigation, new windows and webviews.
 */
import type { WebContents } from 'electron';

export { contentSecurityPolicy } from '../csp';

/** The renderer is loaded from a file (production) or the electron-vite dev server. */
export function isAppUrl(url: string): boolean {
  if (url.startsWith('file://')) return true;
  const dev = process.env.ELECTRON_RENDERER_URL;
  return Boolean(dev && url.startsWith(dev));
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
