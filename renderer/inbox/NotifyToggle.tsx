import { useState } from 'react';
import { useFleetConnection } from '../bridge/context';
import { useNotifySetting, webNotifications } from './inbox-notifications';

/** "Notify me": asks the browser's permission from the owner's own click; the desktop app notifies by itself. */
export function NotifyToggle() {
  const { transport } = useFleetConnection();
  const { enabled, setEnabled } = useNotifySetting();
  const [refused, setRefused] = useState(false);
  const api = webNotifications();
  if (transport !== 'websocket') return null;
  if (api === null) return <p className="muted">This browser cannot show notifications here.</p>;

  const toggle = async (on: boolean) => {
    if (!on) {
      setEnabled(false);
      return;
    }
    const permission = api.permission === 'granted' ? 'granted' : await api.requestPermission();
    setRefused(permission !== 'granted');
    setEnabled(permission === 'granted');
  };

  return (
    <div className="notify-toggle">
      <label>
        <input type="checkbox" checked={enabled && api.permission === 'granted'} onChange={(event) => void toggle(event.target.checked)} /> Notify me
      </label>
      {refused && <span className="muted">Notifications are blocked for this page in the browser&apos;s settings.</span>}
    </div>
  );
}
