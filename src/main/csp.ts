/**
 * The renderer's Content Security Policy, sent as a header by Electron and by
 * the web server (index.html repeats it in a meta tag, minus frame-ancestors).
 * 'unsafe-inline' styles are needed by Monaco; workers come from 'self' or blob:.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
