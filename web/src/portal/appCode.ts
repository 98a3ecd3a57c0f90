// The support app's one-time code as the customer reads it, and the command
// line that starts the app with it (docs/remote-control.md, "Joining"). Shared
// by the portal's "Support app" panel and the join page (/app/join/<code>).

/** The program the customer runs (packaged as openassist-agent_*.deb). */
export const AGENT = 'openassist-agent';

/** Where the app can be downloaded. */
export const DOWNLOADS = '/downloads/';

/** A 10-digit code as people read it: "482 190 7713"; anything else as it is. */
export function groupAppCode(code: string): string {
  const digits = code.replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : code;
}

/** The command line that starts the app with a join link. */
export const agentCommand = (link: string) => `${AGENT} ${link}`;

/** The code in a join page's path (/app/join/<10 digits>), or undefined. */
export function codeFromPath(pathname: string): string | undefined {
  const match = /^\/app\/join\/(\d{10})\/?$/.exec(pathname);
  return match ? match[1] : undefined;
}

/**
 * Puts the text on the clipboard; when the browser does not allow that, selects
 * `fallback`'s text so that Ctrl+C copies it. Resolves to whether it was copied.
 */
export async function copyText(text: string, fallback?: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallback) {
      const range = document.createRange();
      range.selectNodeContents(fallback);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}
