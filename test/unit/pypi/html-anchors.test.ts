// PEP 503 pages from an upstream are read in one forward pass: the anchors a lazy regular
// expression found, and hostile pages at the cost of a normal page of the same size (unclosed
// anchors used to make every `<a ` rescan the rest of the page: 80 KB took 2.7 s).
import { describe, expect, it } from 'vitest';
import { parseAnchors } from '../../../src/lib/pypi/html-anchors.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';

describe('parseAnchors', () => {
  it('reads attributes, entities and text, and stops at an anchor without an end', () => {
    const html = `<html><body>
      <A HREF="/files/p-1.0.tar.gz#sha256=ab" data-requires-python="&gt;=3.8">p-1.0<b>.tar.gz</b></A >
      <a\thref='/files/p-1.1.whl' data-yanked>p-1.1.whl</a>
      <a href=/x>x < y</a>
      <a href="/never-closed">dangling`;
    expect(parseAnchors(html).map((a) => ({ attributes: Object.fromEntries(a.attributes), text: a.text }))).toEqual([
      { attributes: { href: '/files/p-1.0.tar.gz#sha256=ab', 'data-requires-python': '>=3.8' }, text: 'p-1.0.tar.gz' },
      { attributes: { href: '/files/p-1.1.whl', 'data-yanked': '' }, text: 'p-1.1.whl' },
      { attributes: { href: '/x' }, text: 'x < y' },
    ]);
  });
});

const SIZE = 128 * 1024;
const fill = (prefix: string, unit: string, suffix = '') => prefix + unit.repeat(Math.floor((SIZE - prefix.length - suffix.length) / unit.length)) + suffix;
const NORMAL = fill('<!DOCTYPE html><html><body><h1>Links for p</h1>\n', `<a href="https://files.example/p/p-1.0.tar.gz#sha256=${'a'.repeat(64)}" data-requires-python="&gt;=3.8">p-1.0.tar.gz</a><br/>\n`, '</body></html>');

describe('upstream page cost on hostile pages', { timeout: 120_000 }, () => {
  it.each([
    ['thousands of unclosed anchors', fill('<html>', '<a x>')],
    ['an anchor whose text is all "<"', fill('<a href="/x">', '<', '</a>')],
    ['end tags that never close', fill('<a href="/x">', '</a ')],
    ['one anchor with thousands of attributes', fill('<a ', 'x= ', '>t</a>')],
    ['entity-like text that never ends', fill('<a href="/x">', '&aaaa', '</a>')],
  ])('%s costs less than 10x a normal page of the same size', async (_label, page) => {
    expect(Math.abs(page.length - NORMAL.length)).toBeLessThan(SIZE / 10);
    const cost = await costRatio(() => parseAnchors(NORMAL), () => parseAnchors(page));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });
});
