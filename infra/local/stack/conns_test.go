package stack

import (
	"io"
	"net"
	"net/http"
	"testing"
)

// TestStopClosesOnlyConnectionsThatCarriedNoRequest: when a server of the
// stack stops, a connection that never began a request (a transport's
// spare dial, a browser's preconnect) is closed at once — so
// http.Server.Shutdown does not wait for it — and so is one accepted while
// it stops; a connection that carries a request is left to finish it.
func TestStopClosesOnlyConnectionsThatCarriedNoRequest(t *testing.T) {
	u := &unusedConns{open: map[net.Conn]struct{}{}}
	unused, unusedPeer := net.Pipe()
	busy, busyPeer := net.Pipe()
	defer busy.Close()
	u.track(unused, http.StateNew)
	u.track(busy, http.StateNew)
	u.track(busy, http.StateActive)

	u.closeAll()
	late, latePeer := net.Pipe()
	u.track(late, http.StateNew)

	for name, peer := range map[string]net.Conn{"unused": unusedPeer, "accepted while stopping": latePeer} {
		if _, err := peer.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("%s connection: the client reads %v, want EOF (closed)", name, err)
		}
	}
	go busyPeer.Write([]byte("x")) // the server side still reads what its client sends
	if _, err := busy.Read(make([]byte, 1)); err != nil {
		t.Errorf("connection with a request: read %v, want it open", err)
	}
	if len(u.open) != 0 {
		t.Errorf("tracked after the stop: %d connections, want none", len(u.open))
	}
}
