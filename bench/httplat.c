/* httplat.c - pmkb-httplat: POST files to a pmkb serve URL over kept-alive
 * loopback connections and report the latency distribution each request
 * saw (a monotonic clock around write and read, not curl's start-up) and
 * the throughput.
 *
 * usage: pmkb-httplat [-c CLIENTS] [-w WARMUP] [-l FILE] http://127.0.0.1:PORT/api/match < FILES
 * Reads one file name a line; every client (a thread with its own
 * connection) posts its share of them, in order, once. WARMUP requests
 * per client go first, untimed. Prints one line:
 * runs=N p50=.. p95=.. p99=.. mean=.. max=.. (ms) fails=F rps=R clients=C
 * (a request fails when the answer is not 200). -l FILE also writes each
 * timed request's line number in FILES (from 1), its latency in ms and the
 * server's CPU ms for it (its Server-Timing header; -1 without), one a
 * line in the order sent, to tell the queries that are slow every pass from
 * the ones slow by chance. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct body {
	char *data;
	size_t len;
} body;

static body *bodies;
static size_t nbodies;
static char host[64], path[512];
static int port, warmup;

typedef struct client {
	size_t first, step;
	double *lat;
	size_t *idx;
	double *cpu;              /* the server's CPU ms (Server-Timing), -1 */
	size_t n;
	long fails;
} client;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)(p * (double)(n - 1) + 0.5);
	return v[k < n ? k : n - 1];
}

static int connect_to(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One request on fd; returns the HTTP status, or -1 when the connection
 * failed (the caller reconnects). */
static int request(int fd, const body *b, double *server_cpu)
{
	char head[1024];
	int hl = snprintf(head, sizeof head,
			  "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/octet-stream\r\n"
			  "Content-Length: %zu\r\n\r\n",
			  path, host, port, b->len);
	if (write_all(fd, head, (size_t)hl) || write_all(fd, b->data, b->len))
		return -1;
	static __thread char buf[1 << 16];
	size_t got = 0;
	char *end = NULL;
	while (!end) {
		if (got == sizeof buf - 1)
			return -1;
		ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	int status = atoi(buf + 9);
	const char *st = strcasestr(buf, "\r\nserver-timing: cpu;dur=");
	*server_cpu = st && st < end ? strtod(st + 25, NULL) : -1;
	const char *cl = strcasestr(buf, "\r\ncontent-length:");
	size_t want = cl ? strtoul(cl + 17, NULL, 10) : 0;
	size_t have = got - (size_t)(end + 4 - buf);
	while (have < want) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
	return status;
}

static void *run(void *arg)
{
	client *c = arg;
	int fd = connect_to();
	size_t cap = nbodies / c->step + 1;
	c->lat = calloc(cap, sizeof(double));
	c->idx = calloc(cap, sizeof(size_t));
	c->cpu = calloc(cap, sizeof(double));
	for (int w = 0; w < warmup && fd >= 0; w++)
		if (request(fd, &bodies[c->first % nbodies], &c->cpu[0]) < 0) {
			close(fd);
			fd = connect_to();
		}
	for (size_t i = c->first; i < nbodies; i += c->step) {
		if (fd < 0)
			fd = connect_to();
		double t0 = now_ms();
		c->cpu[c->n] = -1;
		int st = fd >= 0 ? request(fd, &bodies[i], &c->cpu[c->n]) : -1;
		c->idx[c->n] = i;
		c->lat[c->n++] = now_ms() - t0;
		if (st != 200)
			c->fails++;
		if (st < 0 && fd >= 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int read_file(const char *name, body *b)
{
	FILE *f = fopen(name, "rb");
	if (!f)
		return -1;
	size_t cap = 1 << 16;
	b->data = malloc(cap);
	b->len = 0;
	size_t r;
	while ((r = fread(b->data + b->len, 1, cap - b->len, f)) > 0) {
		b->len += r;
		if (b->len == cap)
			b->data = realloc(b->data, cap *= 2);
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int clients = 1, opt;
	const char *logname = NULL;
	while ((opt = getopt(argc, argv, "c:w:l:")) != -1) {
		if (opt == 'l')
			logname = optarg;
		else if (opt == 'c')
			clients = atoi(optarg);
		else if (opt == 'w')
			warmup = atoi(optarg);
		else
			return 64;
	}
	if (optind != argc - 1 || clients < 1 || clients > 256 ||
	    sscanf(argv[optind], "http://%63[0-9.]:%d%511s", host, &port, path) != 3) {
		fprintf(stderr, "usage: pmkb-httplat [-c CLIENTS] [-w WARMUP] [-l FILE] http://127.0.0.1:PORT/PATH < FILES\n");
		return 64;
	}
	char line[4096];
	size_t cap = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (nbodies == cap)
			bodies = realloc(bodies, (cap = cap ? 2 * cap : 256) * sizeof *bodies);
		if (read_file(line, &bodies[nbodies]) != 0) {
			fprintf(stderr, "pmkb-httplat: cannot read '%s': %s\n", line, strerror(errno));
			return 66;
		}
		nbodies++;
	}
	if (!nbodies)
		return 66;
	client *cs = calloc((size_t)clients, sizeof *cs);
	pthread_t *th = calloc((size_t)clients, sizeof *th);
	double t0 = now_ms();
	for (int i = 0; i < clients; i++) {
		cs[i].first = (size_t)i;
		cs[i].step = (size_t)clients;
		pthread_create(&th[i], NULL, run, &cs[i]);
	}
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	double wall = now_ms() - t0;
	double *all = calloc(nbodies, sizeof(double)), sum = 0;
	size_t n = 0;
	long fails = 0;
	FILE *log = logname ? fopen(logname, "w") : NULL;
	if (logname && !log) {
		fprintf(stderr, "pmkb-httplat: cannot write '%s': %s\n", logname, strerror(errno));
		return 73;
	}
	for (int i = 0; i < clients; i++) {
		for (size_t k = 0; log && k < cs[i].n; k++)
			fprintf(log, "%zu %.3f %.3f\n", cs[i].idx[k] + 1, cs[i].lat[k], cs[i].cpu[k]);
		for (size_t k = 0; k < cs[i].n; k++)
			sum += (all[n++] = cs[i].lat[k]);
		fails += cs[i].fails;
		free(cs[i].lat);
		free(cs[i].idx);
		free(cs[i].cpu);
	}
	if (log && fclose(log) != 0) {
		fprintf(stderr, "pmkb-httplat: cannot write '%s': %s\n", logname, strerror(errno));
		return 73;
	}
	qsort(all, n, sizeof *all, cmp_double);
	printf("runs=%zu p50=%.2f p95=%.2f p99=%.2f mean=%.2f max=%.2f fails=%ld rps=%.0f clients=%d\n", n,
	       pct(all, n, 0.50), pct(all, n, 0.95), pct(all, n, 0.99), n ? sum / (double)n : 0,
	       n ? all[n - 1] : 0, fails, wall > 0 ? (double)n * 1000.0 / wall : 0, clients);
	for (size_t i = 0; i < nbodies; i++)
		free(bodies[i].data);
	free(bodies);
	free(all);
	free(cs);
	free(th);
	return fails ? 1 : 0;
}
