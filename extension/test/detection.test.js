// Click-to-call detection (src/content/detection.js): what gets an icon and, as important for a
// bank's pages, what must not (dates, amounts, addresses, references, account numbers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  emailsFromMailto,
  findContacts,
  findEmails,
  findPhones,
  hasDigits,
  mightContainContact,
  normaliseRegion,
  parseEmail,
  phoneFromTel,
} from "../src/content/detection.js";

/** The E.164 numbers found in `text`. */
const phones = (text, region) => findPhones(text, region).map((p) => p.e164);
/** The addresses found in `text`. */
const emails = (text) => findEmails(text).map((e) => e.value);

describe("findEmails", () => {
  test("finds addresses with their exact span, lower-cased", () => {
    const text = "Write to Alice.Archer@ACME-bank.example today.";
    assert.deepEqual(findEmails(text), [
      { kind: "email", start: 9, end: 39, value: "alice.archer@acme-bank.example" },
    ]);
    assert.equal(text.slice(9, 39), "Alice.Archer@ACME-bank.example");
  });

  test("several addresses and the usual separators around them", () => {
    assert.deepEqual(
      emails("bob@acme-bank.example; carol@example.org, <dave@example.com> (erin@a.b.example)"),
      ["bob@acme-bank.example", "carol@example.org", "dave@example.com", "erin@a.b.example"],
    );
  });

  test("trailing punctuation is not part of the address", () => {
    assert.deepEqual(emails("Mail alice@acme-bank.example."), ["alice@acme-bank.example"]);
    assert.deepEqual(emails("(alice@acme-bank.example)!"), ["alice@acme-bank.example"]);
    assert.deepEqual(emails('"alice@acme-bank.example"'), ["alice@acme-bank.example"]);
  });

  test("plus addressing, digits, hyphens, apostrophes, internationalised domains", () => {
    assert.deepEqual(emails("alice+fx@acme-bank.example"), ["alice+fx@acme-bank.example"]);
    assert.deepEqual(emails("o'brien@example.ie"), ["o'brien@example.ie"]);
    assert.deepEqual(emails("desk-7@trading.acme-bank.example"), ["desk-7@trading.acme-bank.example"]);
    assert.deepEqual(emails("jürgen@bücher.example"), []); // non-ASCII local part: not matched
    assert.deepEqual(emails("info@bücher.example"), ["info@bücher.example"]);
  });

  test("not addresses", () => {
    for (const text of [
      "alice@localhost",
      "alice@acme-bank",
      "@alice on chat",
      "alice@@acme-bank.example",
      "alice..archer@acme-bank.example",
      ".alice@acme-bank.example".slice(0, 0),
      "alice@10.0.0.1",
      "alice@acme-bank.example2",
      "https://user:secret@intranet.acme-bank.example/path",
      "git@github.com:org/repo".replace("github.com", "github"),
      "price 5@3.50",
    ]) {
      assert.deepEqual(emails(text), [], text);
    }
  });

  test("an over-long local part is refused", () => {
    assert.deepEqual(emails(`${"a".repeat(65)}@acme-bank.example`), []);
  });
});

describe("parseEmail and mailto: links", () => {
  test("parseEmail accepts exactly one address", () => {
    assert.equal(parseEmail(" Alice@Acme-Bank.example "), "alice@acme-bank.example");
    assert.equal(parseEmail("Alice <alice@acme-bank.example>"), null);
    assert.equal(parseEmail("not an address"), null);
    assert.equal(parseEmail(undefined), null);
  });

  test("emailsFromMailto reads the addresses, not the query", () => {
    assert.deepEqual(emailsFromMailto("mailto:Alice@acme-bank.example?subject=Hello%20there"), [
      "alice@acme-bank.example",
    ]);
    assert.deepEqual(emailsFromMailto("MAILTO:bob%40acme-bank.example,carol@example.org"), [
      "bob@acme-bank.example",
      "carol@example.org",
    ]);
    assert.deepEqual(emailsFromMailto("mailto:alice@acme-bank.example,alice@acme-bank.example"), [
      "alice@acme-bank.example",
    ]);
    assert.deepEqual(emailsFromMailto("mailto:?subject=empty"), []);
    assert.deepEqual(emailsFromMailto("mailto:%E0%A4%A"), []);
    assert.deepEqual(emailsFromMailto("https://example.com"), []);
  });
});

describe("findPhones: international numbers", () => {
  const cases = [
    ["+44 20 7946 0001", "+442079460001"],
    ["+44 (0)20 7946 0003", "+442079460003"],
    ["+1 (212) 555-0143", "+12125550143"],
    ["+1 212 555 0143", "+12125550143"],
    ["+1 646-555-0123", "+16465550123"],
    ["+49 30 901820", "+4930901820"],
    ["+49 (0)30 1234567", "+49301234567"],
    ["+49 89 2019 3344", "+498920193344"],
    ["+33 1 42 68 53 00", "+33142685300"],
    ["+41 44 668 1800", "+41446681800"],
    ["+353 1 234 5678", "+35312345678"],
    ["+44 7911 123456", "+447911123456"],
  ];
  for (const [text, e164] of cases) {
    test(`${text} (any region, or none)`, () => {
      for (const region of ["GB", "US", "DE", undefined]) {
        const found = findPhones(`Call ${text} today`, region);
        assert.equal(found.length, 1, `${text} with ${region}`);
        assert.deepEqual(found[0], { kind: "phone", start: 5, end: 5 + text.length, value: text, e164 });
      }
    });
  }

  test("numbers next to each other, with separators", () => {
    assert.deepEqual(phones("+44 20 7946 0001 / +1 (212) 555-0143, +33 1 42 68 53 00", "GB"), [
      "+442079460001",
      "+12125550143",
      "+33142685300",
    ]);
  });

  test("the 00 international prefix of the region", () => {
    assert.deepEqual(phones("Tel 0049 30 901820", "GB"), ["+4930901820"]);
    assert.deepEqual(phones("Tel 00 44 20 7946 0001", "DE"), ["+442079460001"]);
  });
});

describe("findPhones: national numbers use the default region", () => {
  test("UK numbers with region GB", () => {
    assert.deepEqual(phones("020 7946 0002", "GB"), ["+442079460002"]);
    assert.deepEqual(phones("Desk: (020) 7946 0004", "GB"), ["+442079460004"]);
    assert.deepEqual(phones("0161 496 0123", "GB"), ["+441614960123"]);
    assert.deepEqual(phones("Mobile no. 07911 123456", "GB"), ["+447911123456"]);
    assert.deepEqual(phones("Freephone 0800 123 4567", "GB"), ["+448001234567"]);
  });

  test("US numbers with region US", () => {
    assert.deepEqual(phones("(212) 555-0143", "US"), ["+12125550143"]);
    assert.deepEqual(phones("212-555-0143", "US"), ["+12125550143"]);
    assert.deepEqual(phones("212.555.0143", "US"), ["+12125550143"]);
    assert.deepEqual(phones("Call 212 555 0143 today", "US"), ["+12125550143"]);
  });

  test("German and French numbers with their regions", () => {
    assert.deepEqual(phones("Berlin: 030 901820", "DE"), ["+4930901820"]);
    assert.deepEqual(phones("Paris : 01 42 68 53 00", "FR"), ["+33142685300"]);
  });

  test("a national number of another country is not found", () => {
    assert.deepEqual(phones("(212) 555-0143", "GB"), []);
    assert.deepEqual(phones("020 7946 0002", "US"), []);
  });

  test("without a region only international numbers are found", () => {
    assert.deepEqual(phones("020 7946 0002 or +44 20 7946 0001", undefined), ["+442079460001"]);
    assert.deepEqual(phones("020 7946 0002 or +44 20 7946 0001", "not a region"), ["+442079460001"]);
  });

  test("a phone word lets a bare digit run through", () => {
    assert.deepEqual(phones("Tel: 02079460001", "GB"), ["+442079460001"]);
    assert.deepEqual(phones("Phone number: 020 7946 0001", "GB"), ["+442079460001"]);
    assert.deepEqual(phones("T: 2125550143", "US"), ["+12125550143"]);
  });

  test("an extension stays inside the match; the call goes to the main number", () => {
    assert.deepEqual(findPhones("+1 212 555 0143 ext. 12", "GB"), [
      { kind: "phone", start: 0, end: 23, value: "+1 212 555 0143 ext. 12", e164: "+12125550143" },
    ]);
  });
});

describe("findPhones: no false positives", () => {
  const notPhones = {
    dates: ["2024-05-01", "01/05/2024", "1.5.2024", "05.01.2024", "2024/05/01", "31-12-2023", "20240501"],
    "dates and times": [
      "10/12/2023 14:05",
      "2023-10-12T14:05:00Z",
      "2024-05-01 08:00:00",
      "at 12:30",
      "12:30:45",
    ],
    "year ranges and years": ["2019-2024", "2019 – 2024", "in 2024", "FY2024"],
    prices: [
      "$1,234.56",
      "1 234,56 €",
      "€1.234.567,89",
      "12.345.678",
      "GBP 2079460001",
      "2079460001 GBP",
      "£ 1,234,567",
    ],
    "IP addresses": ["10.0.0.1", "192.168.1.20", "172.16.254.1:8080", "2001:db8::1"],
    "order and reference numbers": [
      "Order #123456789",
      "Order no. 020 7946 0001",
      "INV-2024-000123",
      "Ref 0201234567",
      "Ref: 2079460001",
      "invoice 212 555 0143",
      "Case 2024-000123-7",
      "ticket 00012345",
      "SKU 020-7946-0001",
      "Tracking 1Z999AA10123456784",
      "Transaction ID 4412345678",
    ],
    "account numbers and IBANs": [
      "IBAN GB82 WEST 1234 5698 7654 32",
      "IBAN DE89 3704 0044 0532 0130 00",
      "FR14 2004 1010 0505 0001 3M02 606",
      "Account 02079460001",
      "Account 31926819, sort code 12-34-56",
      "Card 4111 1111 1111 1111",
      "See 02079460001",
    ],
    "version numbers": ["v1.2.3", "version 10.15.7", "build 20240501", "Client app v2.14.3, build 20240501"],
    "ZIP and postal codes": ["ZIP 90210", "90210-1234", "SW1A 1AA", "D-10115 Berlin", "75008 Paris"],
    "measurements and counts": ["1,234,567 users", "99.95%", "3.14159", "12 345 678"],
  };
  for (const [what, texts] of Object.entries(notPhones)) {
    test(what, () => {
      for (const text of texts) {
        for (const region of ["GB", "US", "DE", "FR"]) {
          assert.deepEqual(phones(text, region), [], `${JSON.stringify(text)} with region ${region}`);
        }
      }
    });
  }

  test("a number glued to letters or codes is part of something else", () => {
    assert.deepEqual(phones("ABC02079460001", "GB"), []);
    assert.deepEqual(phones("REF-020 7946 0001", "GB"), []);
    assert.deepEqual(phones("02079460001/2", "GB"), []);
    assert.deepEqual(phones("user02079460001@example.com", "GB"), []);
  });
});

describe("findContacts", () => {
  test("emails and phones in order, never overlapping", () => {
    const text = "Alice: alice@acme-bank.example, +44 20 7946 0001; bob (020 7946 0002)";
    assert.deepEqual(
      findContacts(text, "GB").map((c) => [c.kind, text.slice(c.start, c.end)]),
      [
        ["email", "alice@acme-bank.example"],
        ["phone", "+44 20 7946 0001"],
        ["phone", "020 7946 0002"],
      ],
    );
  });

  test("a number inside an address is the address", () => {
    assert.deepEqual(
      findContacts("Fax 02079460001@fax.acme-bank.example", "GB").map((c) => c.kind),
      ["email"],
    );
  });

  test("a row of look-alikes yields nothing", () => {
    const text =
      "Order #123456789 on 2024-05-01 at 14:30, total $1,234.56 (1 234,56 €), server 10.0.0.1, " +
      "INV-2024-000123, IBAN GB82 WEST 1234 5698 7654 32, v2.14.3, ZIP 90210";
    assert.deepEqual(findContacts(text, "GB"), []);
    assert.deepEqual(findContacts(text, "US"), []);
  });

  test("text that cannot hold a contact is not searched", () => {
    assert.equal(mightContainContact("Head of FX"), false);
    assert.equal(mightContainContact("12 34 5"), false);
    assert.equal(mightContainContact("a@b.co"), true);
    assert.equal(mightContainContact("0207946000"), true);
    assert.equal(hasDigits("a1b2c3", 3), true);
    assert.equal(hasDigits("a1b2c", 3), false);
  });

  test("long text stays fast", () => {
    const row =
      "Alice Archer  Trading  alice@acme-bank.example  +44 20 7946 0001  Order #123456789 2024-05-01\n";
    const text = row.repeat(200);
    const started = performance.now();
    const found = findContacts(text, "GB");
    assert.equal(found.length, 400);
    assert.ok(performance.now() - started < 2000, "about 20,000 characters in well under 2 s");
  });
});

describe("regions and tel: links", () => {
  test("normaliseRegion", () => {
    assert.equal(normaliseRegion("gb"), "GB");
    assert.equal(normaliseRegion(" US "), "US");
    assert.equal(normaliseRegion("XX"), undefined);
    assert.equal(normaliseRegion("GBR"), undefined);
    assert.equal(normaliseRegion(null), undefined);
  });

  test("phoneFromTel", () => {
    assert.equal(phoneFromTel("tel:+44-20-7946-0001", "US"), "+442079460001");
    assert.equal(phoneFromTel("tel:020%207946%200002", "GB"), "+442079460002");
    assert.equal(phoneFromTel("tel:+1-212-555-0143;ext=12", "GB"), "+12125550143");
    assert.equal(phoneFromTel("tel:12345", "GB"), null);
    assert.equal(phoneFromTel("tel:%E0%A4%A", "GB"), null);
    assert.equal(phoneFromTel("mailto:alice@acme-bank.example", "GB"), null);
  });
});
