// Shiki themes for code and wire text, one per colour scheme; global.css switches between
// them with the page's theme. Chosen for WCAG AA contrast of every token (axe checks it).
export const codeThemes = { light: "github-light-high-contrast", dark: "github-dark-high-contrast" } as const;
