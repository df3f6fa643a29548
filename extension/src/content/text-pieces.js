// Bookkeeping of the text nodes we split. Splitting keeps the original node as the first piece
// (Text.splitText leaves the head in place), so a page that holds a reference to its text node
// still holds the start of its text; every piece remembers that original ("root"). This lets us
// merge the pieces back when icons go away, and repair the page's text when its script rewrites
// or removes a node we split (frameworks keep references to their text nodes).

const TEXT_NODE = 3;

export class TextPieces {
  constructor() {
    /** piece (root included) → root */
    this.rootOf = new WeakMap();
    /** root → the pieces split off it, in no particular order */
    this.piecesOf = new WeakMap();
  }

  /** Splits `node` at `offset` like Text.splitText and records the new piece; returns it. */
  split(node, offset) {
    const root = this.rootOf.get(node) ?? node;
    const piece = node.splitText(offset);
    if (!this.rootOf.has(root)) this.rootOf.set(root, root);
    this.rootOf.set(piece, root);
    let pieces = this.piecesOf.get(root);
    if (!pieces) this.piecesOf.set(root, (pieces = new Set()));
    pieces.add(piece);
    return piece;
  }

  /** Whether `node` is an original text node that we split. */
  isSplitRoot(node) {
    return (this.piecesOf.get(node)?.size ?? 0) > 0;
  }

  /** Whether `a` and `b` came from the same original text node. */
  sameOrigin(a, b) {
    const root = this.rootOf.get(a);
    return root !== undefined && root === this.rootOf.get(b);
  }

  /** The pieces split off `root` that are still in `parent`. */
  piecesIn(root, parent) {
    const found = [];
    for (const piece of this.piecesOf.get(root) ?? []) {
      if (piece.parentNode === parent && this.rootOf.get(piece) === root) found.push(piece);
    }
    return found;
  }

  /** Forgets `root`'s pieces (after removing them from the page). */
  forget(root) {
    for (const piece of this.piecesOf.get(root) ?? []) this.rootOf.delete(piece);
    this.piecesOf.delete(root);
  }

  /**
   * Merges the text siblings around `piece` that came from the same original node into one (the
   * first of them, normally the original itself). Nothing else in the page is normalised.
   */
  merge(piece) {
    const root = this.rootOf.get(piece);
    if (!root || !piece.parentNode) return;
    let first = piece;
    for (let prev = first.previousSibling; this.isPieceOf(prev, root); prev = first.previousSibling)
      first = prev;
    for (let next = first.nextSibling; this.isPieceOf(next, root); next = first.nextSibling) {
      first.appendData(next.data);
      next.remove();
      this.rootOf.delete(next);
      this.piecesOf.get(root)?.delete(next);
    }
  }

  isPieceOf(node, root) {
    return node?.nodeType === TEXT_NODE && this.rootOf.get(node) === root;
  }
}
