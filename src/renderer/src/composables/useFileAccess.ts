/**
 * Opening and saving files the way a browser can: a hidden <input type=file>
 * to open, a download to save. Electron's renderer supports both, so the
 * desktop app and `npm run web` share this one composable.
 */
export interface OpenedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  text(): string;
}

/** Largest file the workbench will open (a guest program, not a disk image). */
const maxOpenBytes = 16 * 1024 * 1024;

export function useFileAccess() {
  function open(accept: string): Promise<OpenedFile | null> {
    return new Promise((resolve, reject) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = accept;
      input.style.display = 'none';
      input.dataset.testid = 'file-input';
      input.addEventListener('change', async () => {
        const file = input.files?.[0];
        input.remove();
        if (!file) return resolve(null);
        if (file.size > maxOpenBytes) return reject(new Error(`${file.name} is larger than 16 MiB`));
        const bytes = new Uint8Array(await file.arrayBuffer());
        resolve({ name: file.name, bytes, text: () => new TextDecoder().decode(bytes) });
      });
      input.addEventListener('cancel', () => {
        input.remove();
        resolve(null);
      });
      document.body.append(input);
      input.click();
    });
  }

  function save(name: string, content: string | Uint8Array, type = 'text/plain'): void {
    const blob = new Blob([content as BlobPart], { type });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return { open, save };
}

/** Whether the bytes start with the ELF magic number. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}
