package dynamotest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// launchMoto runs moto_server from PATH (or ~/.pyenv/shims) on a free port.
// The kernel stops it when the test binary exits (Pdeathsig), however the
// binary ends.
func launchMoto() (string, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		home, _ := os.UserHomeDir()
		if p := filepath.Join(home, ".pyenv", "shims", "moto_server"); fileExists(p) {
			bin, err = p, nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("moto_server is not installed (pip install 'moto[server]'): %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	stderr := &tail{}
	cmd.Stderr = stderr // moto logs every request: keep only the last lines
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start moto_server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitReady(url, 60*time.Second, exited); err != nil {
		cmd.Process.Kill()
		return "", fmt.Errorf("%w; its stderr: %s", err, stderr.String())
	}
	return url, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// tail keeps the last few kilobytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-2048:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
