// What a nickname looks like, so two names that a reader on the projector cannot tell apart
// compare equal: "Теacher" (a Cyrillic Т and е), "Ｔｅａｃｈｅｒ" (full-width letters),
// "TEACHER", "T.e.a.c.h.e.r" and "Teacher" all have the skeleton "teacher".
//
// The steps follow Unicode's confusable detection (UTS #39 §4, "skeleton"), with a small table:
//   1. NFKC: compatibility forms become their plain letters (full-width, ligatures, ℌ…);
//   2. NFD, then drop combining marks: "Zoë" and "Zoe" look alike at projector distance;
//   3. map look-alike letters from other scripts (Cyrillic, Greek, Armenian) and the digits and
//      letters that are confused in Latin itself (0/O, 1/I/l) to one Latin letter;
//   4. lower case, and "m" as "rn" (the pair is a classic look-alike in most fonts);
//   5. drop the separators a nickname may hold (space, dot, dash, underscore).
// The table is not all of Unicode's confusables.txt (thousands of entries, mostly symbols a
// nickname cannot contain: checkNickname allows only visible letters, digits and four
// separators); it covers the letters of the scripts whose capitals or small letters pass for
// Latin ones (Cyrillic, Greek, Armenian, Cherokee, Lisu), Latin small capitals, and Latin
// letters with a stroke.
// A skeleton is for comparing, never for showing.

const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic capitals and small letters that are drawn like Latin ones
  А: "A", В: "B", Е: "E", К: "K", М: "M", Н: "H", О: "O", Р: "P", С: "C", Т: "T", У: "Y", Х: "X",
  Ѕ: "S", І: "l", Ј: "J", Ԛ: "Q", Ԝ: "W", Ү: "Y", Һ: "h", Ӏ: "l", З: "3", Ь: "b",
  а: "a", е: "e", о: "o", р: "p", с: "c", у: "y", х: "x", ѕ: "s", і: "i", ј: "j", һ: "h",
  ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", ү: "y", г: "r", п: "n", к: "k", т: "t", в: "b", н: "h", м: "m", ь: "b",
  // Greek
  Α: "A", Β: "B", Ε: "E", Ζ: "Z", Η: "H", Ι: "l", Κ: "K", Μ: "M", Ν: "N", Ο: "O", Ρ: "P", Τ: "T", Υ: "Y", Χ: "X",
  α: "a", ο: "o", ν: "v", ρ: "p", ι: "i", κ: "k", υ: "u", χ: "x", ϲ: "c", ϳ: "j", τ: "t", γ: "y", ε: "e",
  // Armenian
  օ: "o", ս: "u", հ: "h", ո: "n", ց: "g", զ: "q", Տ: "S", Օ: "O",
  // Latin letters and digits confused with each other
  "0": "O", "1": "l", I: "l", ı: "i", ɡ: "g", ɑ: "a", ɩ: "i", ſ: "f",
  // Latin small capitals (drawn as small upper-case letters)
  ᴀ: "a", ʙ: "b", ᴄ: "c", ᴅ: "d", ᴇ: "e", ꜰ: "f", ɢ: "g", ʜ: "h", ɪ: "i", ᴊ: "j", ᴋ: "k", ʟ: "l", ᴍ: "m", ɴ: "n", ᴏ: "o", ᴘ: "p", ʀ: "r", ꜱ: "s", ᴛ: "t", ᴜ: "u", ᴠ: "v", ᴡ: "w", ʏ: "y", ᴢ: "z",
  // Latin letters with a stroke or bar, which NFD does not take apart
  ħ: "h", Ħ: "H", ŧ: "t", Ŧ: "T", đ: "d", Đ: "D", ł: "l", Ł: "L", ø: "o", Ø: "O", ƀ: "b", ɨ: "i", ɇ: "e", Ɇ: "E", ƶ: "z", Ƶ: "Z", ǥ: "g", Ǥ: "G",
  // Cherokee and Lisu capitals drawn like Latin ones
  Ꭺ: "A", Ᏼ: "B", Ꮯ: "C", Ꭼ: "E", Ꮐ: "G", Ꮋ: "H", Ꭻ: "J", Ꮶ: "K", Ꮮ: "L", Ꮇ: "M", Ꮓ: "Z", Ꮲ: "P", Ꭱ: "R", Ꮪ: "S", Ꮤ: "W", Ꭲ: "T", Ꮩ: "V",
  ꓮ: "A", ꓐ: "B", ꓚ: "C", ꓓ: "D", ꓰ: "E", ꓝ: "F", ꓖ: "G", ꓧ: "H", ꓲ: "l", ꓙ: "J", ꓗ: "K", ꓡ: "L", ꓟ: "M", ꓠ: "N", ꓳ: "O", ꓑ: "P", ꓣ: "R", ꓢ: "S", ꓔ: "T", ꓴ: "U", ꓦ: "V", ꓪ: "W", ꓫ: "X", ꓬ: "Y", ꓜ: "Z",
};

const COMBINING_MARKS = /\p{M}/gu;
const SEPARATORS = /[ ._-]/g;

export function nicknameSkeleton(nickname: string): string {
  const bare = nickname.normalize("NFKC").normalize("NFD").replace(COMBINING_MARKS, "");
  let mapped = "";
  for (const char of bare) mapped += LOOK_ALIKES[char] ?? char;
  return mapped.toLowerCase().replace(/m/g, "rn").replace(SEPARATORS, "");
}

/** The skeleton of the teacher's own name: no student nickname may contain it. */
export const TEACHER_SKELETON = nicknameSkeleton("Teacher");
