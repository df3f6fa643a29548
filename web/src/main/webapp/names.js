// How a list of people reads in a sentence (the web app and the extension's notifications share it).

/** ["Alice"] → "Alice"; ["Alice", "Bob"] → "Alice and Bob"; three → "Alice, Bob and Carol". */
export function namesText(names) {
  const list = names.filter(Boolean);
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}
