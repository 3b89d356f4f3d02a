import { useHostLink } from '../bridge/context';
import { describeClose } from '../bridge/socket';

export function ConnectionBanner() {
  const link = useHostLink();
  if (link.state !== 'closed') return null;
  return (
    <div role="alert" className="banner">
      {describeClose(link)}
    </div>
  );
}
