import type { Theme } from './auth';

/** Applies a Teams theme (default, dark, contrast) to the page; charts read colours from CSS. */
export function applyTheme(theme: Theme): void {
  document.documentElement.setAttribute('data-theme', theme);
  document.documentElement.style.colorScheme = theme === 'default' ? 'light' : 'dark';
}

/** A CSS custom property of the current theme (colours for the charts). */
export function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
