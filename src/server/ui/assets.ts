// The UI's only static files, compiled into the bundle (no CDN, no web fonts): one stylesheet
// and one small script that adds copy buttons to command snippets and a confirmation to token
// revocation. Pages work without the script. Served with a content hash in their URL.
import { createHash } from 'node:crypto';

const CSS = `
:root{--fg:#1b1f24;--muted:#5b6570;--bg:#fff;--line:#d8dee4;--accent:#0b62c4;--code:#f3f5f7;--warn:#9a3412}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa4ae;--bg:#14171a;--line:#2c3238;--accent:#6cb0ff;--code:#1d2227;--warn:#fb923c}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line)}
header .brand{font-weight:700;color:var(--fg);text-decoration:none;margin-right:.5rem}
header nav{display:flex;flex-wrap:wrap;gap:.2rem .8rem}
header form{margin-left:auto;display:flex;gap:.3rem}
header .who{color:var(--muted);font-size:.9em}
main{max-width:72rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}
h1{font-size:1.4rem;margin:.2rem 0 1rem;word-break:break-all}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
th{font-weight:600;color:var(--muted);font-size:.85em;white-space:nowrap}
td:first-child{min-width:7em}
td.n,th.n{text-align:right;white-space:nowrap}
.scroll{overflow-x:auto}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);border-radius:4px}
code{padding:.1em .3em;word-break:break-all}
pre{padding:.7rem;overflow-x:auto}
pre code{padding:0;background:none;word-break:normal}
.snippet{position:relative}
.snippet button{position:absolute;top:.3rem;right:.3rem}
.muted{color:var(--muted)}
.tag{display:inline-block;white-space:nowrap;padding:0 .4em;border:1px solid var(--line);border-radius:3px;font-size:.85em;margin:0 .2em .2em 0}
.warn{color:var(--warn)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.7rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.7rem}
.card b{display:block;font-size:1.3rem}
.pager{display:flex;gap:1rem;margin:.7rem 0}
.readme{border-top:1px solid var(--line);margin-top:1rem;padding-top:.5rem;overflow-wrap:anywhere}
input,button,select{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
button{cursor:pointer}
.notice{border:1px solid var(--accent);border-radius:6px;padding:.7rem;margin:.7rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{color:var(--muted)}dd{margin:0;word-break:break-word}
@media (max-width:40rem){header form{margin-left:0;width:100%}header form input{flex:1}main{padding:.6rem}}
`;

const JS = `
document.querySelectorAll('pre.copy').forEach(function (pre) {
  if (!navigator.clipboard) return;
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Copy';
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(pre.textContent).then(function () { button.textContent = 'Copied'; });
  });
  var box = document.createElement('div');
  box.className = 'snippet';
  pre.parentNode.insertBefore(box, pre);
  box.appendChild(pre);
  box.appendChild(button);
});
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  });
});
`;

export interface Asset { path: string; type: string; body: string }

function asset(name: string, ext: string, type: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `${name}.${hash}.${ext}`, type, body: body.trim() + '\n' };
}

export const STYLESHEET = asset('app', 'css', 'text/css; charset=utf-8', CSS);
export const SCRIPT = asset('app', 'js', 'text/javascript; charset=utf-8', JS);
export const ASSETS: Asset[] = [STYLESHEET, SCRIPT];
