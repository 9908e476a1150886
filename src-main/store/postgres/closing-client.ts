// A pool's connection that closes itself when its login fails. node-postgres
// leaves such a socket open (brianc/node-postgres#2907): after a refused or
// missing password the server keeps the backend waiting for the rest of the
// login until authentication_timeout (a minute), holding a connection slot
// and blocking DROP DATABASE, and this process keeps the socket.
import pg from 'pg';

type ConnectCallback = ((error: Error) => void) | ((error: null, client: pg.Client) => void);

export class ClosingClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
    const closeOnFailure = (error: unknown) => {
      if (error) this.end().catch(() => {});
    };
    if (callback === undefined) {
      return super.connect().catch((error: unknown) => {
        closeOnFailure(error);
        throw error;
      });
    }
    super.connect((error: Error | null, client?: pg.Client) => {
      closeOnFailure(error);
      (callback as (error: Error | null, client?: pg.Client) => void)(error, client);
    });
  }
}
