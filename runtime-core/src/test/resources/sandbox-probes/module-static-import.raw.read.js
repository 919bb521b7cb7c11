// reader may fail
import { leak } from '@POLLUTER@';
export const code = async () => leak;
