/**
 * The page's only way to put message content on screen: elements are created one by one and
 * every value goes through `textContent`. Nothing from a SAML message ever becomes markup, a URL
 * or an attribute that the browser would act on.
 */

export type Child = Node | string | undefined | false;

export interface ElementOptions {
  readonly className?: string;
  /** Static attributes chosen by this code (roles, labels); never message content that acts (href, src, on*). */
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options?: ElementOptions,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElementOptions, ...children: Child[]): HTMLElement;
export function el(tag: string, options: ElementOptions = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A `<dl>` of label → value pairs, skipping empty values. */
export function definitionList(
  pairs: ReadonlyArray<readonly [string, string | undefined]>,
  className = 'facts',
): HTMLDListElement {
  const list = el('dl', { className });
  for (const [label, value] of pairs) {
    if (value === undefined || value === '') continue;
    append(list, [el('dt', {}, label), el('dd', {}, value)]);
  }
  return list;
}
