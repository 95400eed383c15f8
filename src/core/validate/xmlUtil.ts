// Namespace-correct DOM helpers: every lookup checks namespace URI and local name, never a prefix.

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const COMMENT_NODE = 8;

export function childElements(parent: Node, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (
      child.nodeType === ELEMENT_NODE &&
      (child as Element).localName === localName &&
      (child as Element).namespaceURI === namespace
    ) {
      found.push(child as Element);
    }
  }
  return found;
}

export function firstChild(parent: Node, namespace: string, localName: string): Element | undefined {
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (
      child.nodeType === ELEMENT_NODE &&
      (child as Element).localName === localName &&
      (child as Element).namespaceURI === namespace
    ) {
      return child as Element;
    }
  }
  return undefined;
}

/** Follows a path of child elements in one namespace. */
export function childPath(parent: Node, namespace: string, ...localNames: string[]): Element | undefined {
  let current: Node | undefined = parent;
  for (const localName of localNames) {
    current = current && firstChild(current, namespace, localName);
  }
  return current as Element | undefined;
}

export function descendants(root: Node, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== ELEMENT_NODE) continue;
      const element = child as Element;
      if (element.localName === localName && element.namespaceURI === namespace) found.push(element);
      walk(element);
    }
  };
  walk(root);
  return found;
}

export function allElements(root: Node): Element[] {
  const found: Element[] = [];
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === ELEMENT_NODE) {
        found.push(child as Element);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** The full text content: every text and CDATA descendant, including text split by comments (DESIGN invariant 6). */
export function fullText(element: Node): string {
  let text = '';
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += (child as CharacterData).data;
    else if (child.nodeType === ELEMENT_NODE) text += fullText(child);
  }
  return text;
}

export function containsComment(element: Node): boolean {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === COMMENT_NODE) return true;
    if (child.nodeType === ELEMENT_NODE && containsComment(child)) return true;
  }
  return false;
}

/** True when the element has anything other than text children (comments, elements, processing instructions). */
export function hasNonTextChildren(element: Node): boolean {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== TEXT_NODE) return true;
  }
  return false;
}

export function attribute(element: Element | undefined, name: string): string | undefined {
  if (!element || !element.hasAttribute(name)) return undefined;
  return element.getAttribute(name) ?? undefined;
}

export function hasAncestor(element: Node, namespace: string, localName: string): boolean {
  for (let node = element.parentNode; node; node = node.parentNode) {
    if (
      node.nodeType === ELEMENT_NODE &&
      (node as Element).localName === localName &&
      (node as Element).namespaceURI === namespace
    )
      return true;
  }
  return false;
}

export function describeElement(element: Element): string {
  return `<${element.nodeName}>`;
}
