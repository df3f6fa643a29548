// The phone regions the options page offers: the countries libphonenumber-js (the content script's
// phone number parser) knows, as ISO 3166-1 alpha-2 codes. test/options-form.test.js checks that the
// list still matches the installed libphonenumber-js.

export const PHONE_REGIONS = Object.freeze(
  "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW".split(
    " ",
  ),
);

/**
 * The regions as select options, named in the user's language and sorted by name. A current value
 * outside the list (an administrator's choice) is kept as an option.
 *
 * @returns {{ value: string, label: string }[]}
 */
export function regionOptions(locale, current = "") {
  const locales = [...validLocale(locale), "en"];
  const names = new Intl.DisplayNames(locales, { type: "region" });
  const collator = new Intl.Collator(locales);
  const codes = PHONE_REGIONS.includes(current) || !current ? PHONE_REGIONS : [...PHONE_REGIONS, current];
  return codes
    .map((code) => {
      const name = names.of(code);
      return { value: code, label: name && name !== code ? `${name} (${code})` : code };
    })
    .sort((a, b) => collator.compare(a.label, b.label));
}

/** The locale, or [] when it is not a BCP 47 tag. */
function validLocale(locale) {
  try {
    return Intl.getCanonicalLocales(locale);
  } catch {
    return [];
  }
}
