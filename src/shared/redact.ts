/**
 * Masks personal identifiers in text Concord keeps (the question log), so a question that names
 * a patient or a colleague does not leave their details on disk. Questions are at most 500
 * characters, and each pattern scans forward without nested repetition, so this stays cheap.
 *
 * - NHS numbers: ten digits, written together or 3-3-4 with spaces or hyphens.
 * - E-mail addresses.
 * - UK phone numbers: +44 or 0, then 9-10 more digits, spaces, hyphens or (0) allowed between.
 */
const NHS_NUMBER = /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g;
const EMAIL = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;
const UK_PHONE = /(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?\b0)\d{2,4}\)?(?:[ -]?\d){6,8}\b/g;

export function maskPersonalDetails(text: string): string {
  return text
    .replace(EMAIL, '[e-mail]')
    .replace(UK_PHONE, '[phone]')
    .replace(NHS_NUMBER, '[NHS number]');
}
