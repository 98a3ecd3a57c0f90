// "Anna is typing…": from the other side's `chat.typing`, until they stop,
// send their line, or nothing more is heard for a few seconds.
import { useEffect, useState } from 'preact/hooks';
import type { RemoteTyping } from './chat';
import { useI18n } from './i18n';

export function TypingIndicator({ typing, fallback }: { typing?: RemoteTyping; fallback: string }) {
  const { t } = useI18n();
  const [, setTick] = useState(0);
  const left = typing ? typing.until - Date.now() : 0;

  useEffect(() => {
    if (!typing || left <= 0) return;
    const timer = setTimeout(() => setTick((n) => n + 1), left + 50);
    return () => clearTimeout(timer);
  }, [typing]);

  return (
    <div class="chat-typing-slot" aria-live="polite">
      {typing && left > 0 && (
        <p class="chat-typing" data-testid="chat-typing" data-from={typing.from}>
          {typing.name ? t('chat.typing', { name: typing.name }) : fallback}
        </p>
      )}
    </div>
  );
}
