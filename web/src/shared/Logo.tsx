/** The openassist mark, drawn in the accent colour. */
export const Logo = () => (
  <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
    <rect width="32" height="32" rx="8" fill="currentColor" />
    <path d="M9 17.5a7 7 0 1 1 14 0" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" />
    <circle cx="16" cy="17.5" r="3" fill="#fff" />
  </svg>
);
