// A modal yes/no question (<dialog>), asked with `await ask(...)`.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';

interface Question {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

function ConfirmDialog({ question, onAnswer }: { question: Question; onAnswer: (ok: boolean) => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      data-testid="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(false);
      }}
    >
      <h2 id="confirm-title">{question.title}</h2>
      <p id="confirm-message">{question.message}</p>
      <div class="dialog-actions">
        <button type="button" class="btn" autofocus data-testid="confirm-cancel" onClick={() => onAnswer(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" class="btn btn-danger" data-testid="confirm-ok" onClick={() => onAnswer(true)}>
          {question.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function useConfirm() {
  const [question, setQuestion] = useState<Question | null>(null);
  const ask = (title: string, message: string, confirmLabel: string) =>
    new Promise<boolean>((resolve) => setQuestion({ title, message, confirmLabel, resolve }));
  const dialog = question && (
    <ConfirmDialog
      question={question}
      onAnswer={(ok) => {
        question.resolve(ok);
        setQuestion(null);
      }}
    />
  );
  return { ask, dialog };
}
