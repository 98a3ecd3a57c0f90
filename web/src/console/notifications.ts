// Browser notifications for alerts and invitations into sessions, when the technician allowed them.
import type { Translate } from '../shared/i18n';
import type { Alert, Invite } from './api';

export type Permission = NotificationPermission | 'unsupported';

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shows one notification for an alert (when allowed); a click brings the console to the front. */
export function notifyAlert(t: Translate, alert: Alert): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(t('console.notify.title', { portal: alert.portal_name }), {
      body: [alert.customer_name, alert.problem].filter((x) => x).join(' — '),
      tag: `openassist-alert-${alert.request_id}`,
      icon: '/favicon.svg',
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}

/** Shows one notification for an invitation into a colleague's session (when allowed). */
export function notifyInvite(t: Translate, invite: Invite): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(t('console.notify.inviteTitle', { from: invite.from }), {
      body: [invite.customer_name, invite.problem].filter((x) => x).join(' — '),
      tag: `openassist-invite-${invite.request_id}-${String(invite.invite_id)}`,
      icon: '/favicon.svg',
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}
