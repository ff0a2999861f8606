/**
 * Building the screens from the DOM, with no framework: `h('button', {type: 'button',
 * onclick}, 'Add token')`. Text always goes in as text nodes, never as HTML, so nothing a
 * server or a user typed can become markup.
 */
type Child = Node | string | false | null | undefined;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/**
 * A form handled by the app: submitting it (button or Enter) runs `submit` instead of
 * navigating; the browser's own validation bubbles stay off, the screen says what is wrong.
 */
export function form(submit: () => unknown, ...children: Child[]): HTMLFormElement {
  return h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void submit();
      },
    },
    ...children,
  );
}

let nextId = 0;

/** A labelled input with an optional hint, read by screen readers with the field. */
export function field(
  label: string,
  props: Props,
  hint?: string,
): { wrapper: HTMLElement; input: HTMLInputElement } {
  const id = `field-${++nextId}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const input = h('input', { id, 'aria-describedby': hintId, ...props });
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : undefined,
  );
  return { wrapper, input };
}

/** The place where a screen says what went wrong; screen readers announce it. */
export function alertBox(): { element: HTMLElement; say(text: string | undefined): void } {
  const element = h('p', { class: 'alert', role: 'alert', hidden: true });
  return {
    element,
    say(text) {
      // The same words again are not news: announcing them on every call would repeat.
      if ((text ?? '') === element.textContent && element.hidden === !text) return;
      element.textContent = text ?? '';
      element.hidden = !text;
    },
  };
}
