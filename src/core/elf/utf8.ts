/** UTF-8 without TextEncoder/TextDecoder (src/core has no DOM or Node types). */
export function utf8Encode(s: string): number[] {
  const esc = encodeURIComponent(s);
  const out: number[] = [];
  for (let i = 0; i < esc.length; i++) {
    if (esc[i] === '%') {
      out.push(parseInt(esc.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(esc.charCodeAt(i));
    }
  }
  return out;
}

export function utf8Decode(b: Uint8Array): string {
  let esc = '';
  for (const c of b) esc += `%${c.toString(16).padStart(2, '0')}`;
  try {
    return decodeURIComponent(esc);
  } catch {
    return String.fromCharCode(...b); // not UTF-8: show the bytes as Latin-1
  }
}
