/**
 * Electron main: one window with secure defaults, the application menu, and
 * LabApi over IPC. Everything beneath (engine, database, LabServer) is plain
 * Node code shared with `npm run web`, the CLI and the tests.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab, type Lab } from './lab/createLab';
import { attachIpcBridge } from './ipc/ipcBridge';
import { listExamples } from './lab/examples';
import { ftlabVersion } from './version';
import { contentSecurityPolicy, hardenWebContents, isAppUrl } from './electron/security';
import { parseMainArgs } from './electron/args';

const here = fileURLToPath(new URL('.', import.meta.url));
const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources');

let lab: Lab | null = null;
let window: BrowserWindow | null = null;

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

async function createWindow(): Promise<void> {
  const args = parseMainArgs(process.argv.slice(1));
  const dbPath = args.db ?? join(app.getPath('userData'), 'workspace.sqlite');
  try {
    lab = createLab({
      dbPath,
      transport: 'ipc',
      version: ftlabVersion,
      resourcesDir,
      db: { nativeBinding: process.env.FTLAB_SQLITE_BINDING || undefined },
    });
  } catch (err) {
    dialog.showErrorBox('FT Lab cannot open its workspace', `${(err as Error).message}\n\nStart with --db FILE to choose another database.`);
    app.exit(1);
    return;
  }

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'FT Lab',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const target = window.webContents;
  attachIpcBridge(ipcMain, lab.server, target, { isTrustedSender: isAppUrl });
  window.once('ready-to-show', () => window?.show());
  Menu.setApplicationMenu(Menu.buildFromTemplate(await menuTemplate()));

  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(join(here, '../renderer/index.html'));
}

async function menuTemplate(): Promise<MenuItemConstructorOptions[]> {
  const send = (command: Parameters<Lab['server']['emit']>[1]) => lab?.server.emit('menuCommand', command as never);
  const examples = await listExamples(join(resourcesDir, 'examples'));
  return [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Session…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            if (!window) return;
            const chosen = await dialog.showOpenDialog(window, {
              title: 'Open a saved FT Lab session',
              filters: [{ name: 'FT Lab sessions', extensions: ['sqlite', 'db'] }],
              properties: ['openFile'],
            });
            const path = chosen.filePaths[0];
            if (!chosen.canceled && path) send({ command: 'open-session-file', path });
          },
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Examples',
      submenu: examples.length
        ? examples.map((e) => ({ label: `${e.name} — ${e.title}`, click: () => send({ command: 'open-example', name: e.name }) }))
        : [{ label: '(no examples found)', enabled: false }],
    },
    { role: 'viewMenu' },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About FT Lab',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About FT Lab',
              message: `FT Lab ${ftlabVersion}`,
              detail:
                'A workbench for learning primary/backup replication the way VMware Fault Tolerance does it, on an emulated RISC-V machine.',
            }),
        },
        { label: 'The VMware FT paper', click: () => void shell.openExternal('https://pdos.csail.mit.edu/6.824/papers/vm-ft.pdf') },
      ],
    },
  ];
}

app.whenReady().then(createWindow, (err) => {
  console.error(err);
  app.exit(1);
});

app.on('window-all-closed', () => {
  void lab?.close().finally(() => app.quit());
});
