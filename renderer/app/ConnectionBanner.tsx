import { useHostLink } from '../bridge/context';
import { describeClose } from '../bridge/socket';

export function ConnectionBanner() {
  const link = useHostLink();
  if (link.state === 'reconnecting') {
    return (
      <div role="status" className="banner banner-reconnecting">
        The host is not answering: reconnecting… Nothing is lost; the board catches up once it is back.
      </div>
    );
  }
  if (link.state !== 'closed') return null;
  return (
    <div role="alert" className="banner">
      {describeClose(link)}
    </div>
  );
}
