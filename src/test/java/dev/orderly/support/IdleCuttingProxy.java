package dev.orderly.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that behaves like a reverse proxy or load balancer with an idle timeout. It forwards
 * bytes in both directions to one target. It closes both sides of a connection once no byte has flowed in either
 * direction for the idle timeout, and also when either side ends its stream or fails.
 *
 * <p>Every thread it starts is a daemon thread, and {@link #close} closes the listening socket and every open
 * connection, which ends all of them.
 */
public final class IdleCuttingProxy implements AutoCloseable {

    private static final int BUFFER_SIZE = 8192;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Maximum interval between idle checks while a read is blocked. */
    private static final Duration MAX_IDLE_CHECK_INTERVAL = Duration.ofMillis(100);

    private final InetSocketAddress target;
    private final Duration idleTimeout;
    private final int idleCheckMillis;
    private final ServerSocket listener;
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger idleCuts = new AtomicInteger();
    private volatile boolean closed;

    private IdleCuttingProxy(InetSocketAddress target, Duration idleTimeout) throws IOException {
        this.target = target;
        this.idleTimeout = idleTimeout;
        this.idleCheckMillis = (int) Math.max(1, Math.min(MAX_IDLE_CHECK_INTERVAL.toMillis(),
                idleTimeout.toMillis() / 10));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "idle-proxy accept :" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free 127.0.0.1 port that forwards to 127.0.0.1:{@code targetPort}. */
    public static IdleCuttingProxy start(int targetPort, Duration idleTimeout) {
        try {
            return new IdleCuttingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                    idleTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("The idle-cutting proxy failed to listen on a free 127.0.0.1 port", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Returns {@code http://127.0.0.1:<proxy port><pathAndQuery>}. */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Number of client connections accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Number of connections closed because they were idle for the idle timeout. */
    public int idleCuts() {
        return idleCuts.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // The listener is closed either way.
        }
        for (Link link : open) {
            link.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                // The listener was closed by close() or failed, so no further connection is accepted.
                return;
            }
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                client.setSoTimeout(idleCheckMillis);
                upstream.setSoTimeout(idleCheckMillis);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Link link = new Link(client, upstream);
            open.add(link);
            if (closed) {
                link.close();
                return;
            }
            link.startPumps(port());
        }
    }

    /** One proxied connection: the client side, the target side and the time bytes last flowed. */
    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());
        private final AtomicBoolean closedOnce = new AtomicBoolean();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void startPumps(int proxyPort) {
            String name = "idle-proxy :" + proxyPort + " " + client.getPort();
            Thread toTarget = new Thread(() -> pump(client, upstream), name + " to target");
            Thread toClient = new Thread(() -> pump(upstream, client), name + " to client");
            toTarget.setDaemon(true);
            toClient.setDaemon(true);
            toTarget.start();
            toClient.start();
        }

        /** Copies bytes from {@code from} to {@code to} until either side ends or the link has been idle too long. */
        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int read;
                    try {
                        read = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        if (idleNanos() >= idleTimeout.toNanos()) {
                            if (closedOnce.compareAndSet(false, true)) {
                                idleCuts.incrementAndGet();
                                closeSockets();
                            }
                            return;
                        }
                        continue;
                    }
                    if (read < 0) {
                        close();
                        return;
                    }
                    lastActivityNanos.set(System.nanoTime());
                    out.write(buffer, 0, read);
                    out.flush();
                    lastActivityNanos.set(System.nanoTime());
                }
            } catch (IOException e) {
                // The other pump or close() closed a socket, or a peer reset the connection.
                close();
            }
        }

        private long idleNanos() {
            return System.nanoTime() - lastActivityNanos.get();
        }

        void close() {
            if (closedOnce.compareAndSet(false, true)) {
                closeSockets();
            }
        }

        private void closeSockets() {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(this);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // The socket is closed either way.
        }
    }
}
