// The README renderer: Markdown becomes a fixed set of tags, every other character is escaped
// text (raw HTML, event handlers, javascript: links), and hostile input costs what plain text of
// the same size costs.
import { describe, expect, test } from 'vitest';
import { escapeHtml, html } from '../../../src/server/ui/html.js';
import { renderMarkdown } from '../../../src/server/ui/markdown.js';
import { costRatio } from '../../helpers/cost-ratio.js';

const render = (source: string) => renderMarkdown(source).text;

describe('renderMarkdown', () => {
  test.each([
    ['# Title', '<h1>Title</h1>'],
    ['a **b** *c* `d<e>`', '<p>a <strong>b</strong> <em>c</em> <code>d&lt;e&gt;</code></p>'],
    ['[docs](https://example.com/a_b_c?x=1&y=2)', '<p><a href="https://example.com/a_b_c?x=1&amp;y=2" rel="nofollow noopener noreferrer">docs</a></p>'],
    ['- one\n- two', '<ul><li>one</li><li>two</li></ul>'],
    ['1. one\n2. two', '<ol><li>one</li><li>two</li></ol>'],
    ['```\n<b>x</b>\n```', '<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>'],
    ['> quoted *text*', '<blockquote><p>quoted <em>text</em></p></blockquote>'],
    ['---', '<hr>'],
    ['window.__pwned = 1 and x.__y', '<p>window.__pwned = 1 and x.__y</p>'],
  ])('%j', (source, expected) => {
    expect(render(source)).toBe(expected);
  });

  test.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    '<iframe srcdoc="<script>alert(1)</script>">',
  ])('raw HTML stays text: %s', (source) => {
    const out = render(source);
    expect(out).not.toMatch(/<(script|img|a|svg|iframe)\b/i);
    expect(out).toContain(escapeHtml(source));
  });

  test.each(['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html,<script>alert(1)</script>)', '![x](vbscript:msgbox)'])('unsafe link targets drop the link: %s', (source) => {
    expect(render(source)).not.toContain('<a ');
  });

  test('a link cannot leave its attribute', () => {
    expect(render('[x](https://e.com/"onmouseover="alert(1))')).not.toMatch(/<a [^>]*onmouseover/);
    expect(render('[x](https://e.com/_a_/*b*)')).toBe('<p><a href="https://e.com/_a_/*b*" rel="nofollow noopener noreferrer">x</a></p>');
  });

  test.each([
    ['**', (n: number) => '**'.repeat(n / 2)], ['*a', (n: number) => '*a'.repeat(n / 2)], ['[a](', (n: number) => '[a]('.repeat(n / 4)],
    ['backticks', (n: number) => '`'.repeat(n)], ['> ', (n: number) => '> '.repeat(n / 2)], ['_a', (n: number) => '_a'.repeat(n / 2)],
    ['- ', (n: number) => `${'- '.repeat(n / 2)}x`], ['<&>', (n: number) => '<&>'.repeat(n / 3)], ['nested lists', (n: number) => '- a\n  b\n'.repeat(n / 8)],
  ])('hostile %s input costs linear time (twice the input, about twice the work)', async (_name, make) => {
    const size = 60_000;
    const small = make(size);
    const large = make(size * 2);
    const { ratio } = await costRatio(() => render(small), () => render(large));
    expect(ratio).toBeLessThan(3.5);
  });
});

describe('html template', () => {
  test('escapes every interpolated value and keeps Html as is', () => {
    const name = `<x onload='1'>"&\``;
    expect(html`<td title="${name}">${name}</td>${html`<b>${'<'}</b>`}`.text).toBe('<td title="&lt;x onload=&#39;1&#39;&gt;&quot;&amp;&#96;">&lt;x onload=&#39;1&#39;&gt;&quot;&amp;&#96;</td><b>&lt;</b>');
    expect(html`${[1, null, undefined, false, 'a<']}`.text).toBe('1a&lt;');
  });
});
