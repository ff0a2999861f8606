/**
 * One screen at a time in `<main>`: `show(render)` leaves the current screen (stopping
 * its timers, forgetting its secrets), renders the next, and moves the focus to its
 * heading so screen readers announce where the user is. `refresh()` renders the same
 * screen again, e.g. in the other language.
 */
import { brand } from './brand.js';
import { h } from './dom.js';

type Child = Node | string | false | undefined;

export interface Screen {
  title: string;
  body: Child[];
  /** Called when the user leaves the screen: stop timers, wipe secrets. */
  leave?: () => void;
  /** Sets the screen's texts anew (another language) without rendering it again. */
  relabel?: () => void;
  /** The element to focus instead of the heading (e.g. the first field). */
  focus?: HTMLElement;
}

export type Render = () => Screen | Promise<Screen>;

let current: { render: Render; leave?: () => void; relabel?: () => void } | undefined;
let generation = 0;

export async function show(render: Render): Promise<void> {
  current?.leave?.();
  const mine = ++generation;
  current = { render };
  const screen = await render();
  if (mine !== generation) {
    // The user moved on while this screen was loading.
    screen.leave?.();
    return;
  }
  current.leave = screen.leave;
  current.relabel = screen.relabel;
  const main = document.getElementById('screen')!;
  const heading = h('h1', { tabindex: '-1' }, screen.title);
  main.replaceChildren(heading, ...screen.body.filter((c): c is Node | string => !!c));
  document.title = `${screen.title} – ${brand.name}`;
  (screen.focus ?? heading).focus();
}

/**
 * Runs work the screen waits for (activation, PIN): the language cannot be switched
 * meanwhile, so the screen that started the work is the one that shows its result.
 */
export async function whileBusy<T>(work: () => Promise<T>): Promise<T> {
  const language = document.getElementById('language') as HTMLButtonElement | null;
  if (language) language.disabled = true;
  try {
    return await work();
  } finally {
    if (language) language.disabled = false;
  }
}

export function refresh(): void {
  if (current?.relabel) current.relabel();
  else if (current) void show(current.render);
}
