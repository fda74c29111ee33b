import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess } from './run-process.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM);
export const CHROMIUM_ABSENT = `${CHROMIUM} is absent (apt-get install chromium to run this test)`;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];

/** What headless Chromium made of a page: its DOM after the scripts ran, and what the page wrote to its console. */
export interface RenderedPage {
  dom: string;
  console: string[];
}

/** Opens `file` in a window of `width` × `height` CSS pixels and dumps the DOM (or, with `screenshot`, writes a PNG instead). */
export async function renderPage(file: string, options: { width?: number; height?: number; screenshot?: string } = {}): Promise<RenderedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'selfkd-chromium-'));
  const size = `--window-size=${options.width ?? 1280},${options.height ?? 1000}`;
  const output = options.screenshot ? `--screenshot=${options.screenshot}` : '--dump-dom';
  const args = [...FLAGS, '--enable-logging=stderr', '--v=0', size, `--user-data-dir=${profile}`, output, pathToFileURL(file).href];
  const result = await runProcess(CHROMIUM, args, { timeoutMs: 90_000 });
  if (result.status !== 0) throw new Error(`${CHROMIUM} ${args.join(' ')} ended with ${result.signal ?? `status ${result.status}`}:\n${result.stderr}`);
  // Every console message (log, warning, error, uncaught exception) is logged as INFO:CONSOLE.
  const console = result.stderr.split('\n').filter((line) => line.includes(':CONSOLE'));
  return { dom: result.stdout, console };
}

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

export function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, decodeEntities(m[2]!)]));
}

/** Every element `<name ...>` of the DOM, with its attributes and text up to the closing tag. */
export function elements(dom: string, name: string): { attrs: Record<string, string>; inner: string }[] {
  return [...dom.matchAll(new RegExp(`<${name}(\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => ({ attrs: attributes(m[1] ?? ''), inner: m[2]! }));
}

export function figure(dom: string, chart: string): string {
  const match = new RegExp(`<figure[^>]*data-chart="${chart}"[^>]*>[\\s\\S]*?</figure>`).exec(dom);
  if (!match) throw new Error(`no figure ${chart} in the page`);
  return match[0];
}

/** The data marks (`mark`) or per-seed points (`seed`) of a figure, in document order. */
export function marks(figureHtml: string, kind: 'mark' | 'seed' = 'mark'): Record<string, string>[] {
  return [...figureHtml.matchAll(new RegExp(`<(?:circle|rect|path) class="${kind}"[^>]*>`, 'g'))].map((m) => attributes(m[0]));
}

export function svgOf(dom: string, id: string): string {
  const match = new RegExp(`<svg[^>]*id="${id.replace(/[+.]/g, '\\$&')}"[^>]*>[\\s\\S]*?</svg>`).exec(dom);
  if (!match) throw new Error(`no chart ${id} in the page`);
  return match[0];
}

export function bodyAttributes(dom: string): Record<string, string> {
  return attributes(/<body[^>]*>/.exec(dom)![0]);
}
