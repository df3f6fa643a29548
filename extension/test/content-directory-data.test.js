// The corporate directory test page (e2e/sites/directory) announces in expected() how many icons
// click-to-call must show. Its data are checked here against the detection itself, cell by cell,
// so that the end-to-end test and the benchmark count what the content script really finds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emailsFromMailto, findContacts } from "../src/content/detection.js";
import { EXTRA_SECTIONS, cellsOf, contactsIn, peopleUpTo } from "../../e2e/sites/directory/people.js";

/** What the content script finds in a cell rendered like directory.js renders it. */
function detected(parts, region) {
  const found = [];
  let text = "";
  const flush = () => {
    for (const c of findContacts(text, region)) {
      found.push({ kind: c.kind, value: c.kind === "email" ? c.value : c.e164 });
    }
    text = "";
  };
  for (const part of parts) {
    if (part.mailto) {
      flush();
      for (const value of emailsFromMailto(`mailto:${part.mailto}`)) found.push({ kind: "email", value });
    } else {
      text += part.text;
    }
  }
  flush();
  return found;
}

for (const region of ["GB", "US"]) {
  test(`every cell of 5,050 rows holds exactly the contacts it announces (phone region ${region})`, () => {
    const cells = [
      EXTRA_SECTIONS.escalation,
      EXTRA_SECTIONS.footer,
      ...peopleUpTo(5050).flatMap((person) => cellsOf(person)),
    ];
    let contacts = 0;
    for (const parts of cells) {
      const announced = contactsIn(parts, region).map(({ kind, value }) => ({ kind, value }));
      assert.deepEqual(detected(parts, region), announced, parts.map((p) => p.text).join(""));
      contacts += announced.length;
    }
    assert.ok(contacts > 9000, `${contacts} contacts`);
  });
}

test("the rows are the same whatever the row count", () => {
  assert.deepEqual(peopleUpTo(600).slice(0, 520), peopleUpTo(520));
  assert.equal(
    peopleUpTo(7)
      .map((p) => p.name)
      .join(", "),
    "Alice Archer, Bob Baker, Carol Chen, Dave Dlamini, Erin Evans, Frank Fischer, Eve Ellis",
  );
});
