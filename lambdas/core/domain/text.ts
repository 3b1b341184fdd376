/** Text as counted: names and values that read as one are one row. */

/** C0 and C1 control characters: invisible in a table, and a second row for what reads as one value. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

export const hasControlCharacter = (text: string) => text.search(controlCharacters) !== -1;

/** Text a visitor's URL carried (campaign tags), with its control characters removed. */
export const withoutControlCharacters = (text: string) => text.replace(controlCharacters, '');
