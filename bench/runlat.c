/* runlat.c - pmkb-runlat: run one command per input line and report the wall
 * latency distribution (what a user waiting for the command sees), measured
 * with a monotonic clock around fork/exec/wait, not by the shell. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* usage: pmkb-runlat [-r REPEAT] [-w WARMUP] -- CMD ARG... ('{}' = the line)
 * Reads lines from stdin; for each, runs CMD with every '{}' argument
 * replaced by the line, REPEAT times, stdout and stderr to /dev/null.
 * Prints one line: runs=N p50=.. p95=.. p99=.. mean=.. max=.. (wall, ms)
 * fails=F exit=CODE:COUNT,... cpu_p50=.. cpu_p95=.. cpu_p99=.. cpu_mean=..
 * (the child's user + system CPU time, ms). */

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

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Run argv (with '{}' replaced by line); returns the exit status or -1.
 * *ms is the wall time, *cpu the child's user + system CPU time: on a
 * loaded machine the wall time includes waiting for a CPU, the CPU time
 * does not. */
static int run_one(char **argv, int argc, const char *line, double *ms, double *cpu)
{
	char **av = calloc((size_t)argc + 1, sizeof *av);
	if (!av)
		return -1;
	for (int i = 0; i < argc; i++)
		av[i] = strcmp(argv[i], "{}") == 0 ? (char *)line : argv[i];
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(av[0], av);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
		free(av);
		return -1;
	}
	*ms = now_ms() - t0;
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	free(av);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	int repeat = 1, warmup = 0, opt;
	while ((opt = getopt(argc, argv, "+r:w:")) != -1) {
		if (opt == 'r')
			repeat = atoi(optarg);
		else if (opt == 'w')
			warmup = atoi(optarg);
		else {
			fputs("usage: pmkb-runlat [-r REPEAT] [-w WARMUP] -- CMD ARG... ('{}' = the input line)\n", stderr);
			return 64;
		}
	}
	if (optind >= argc || repeat < 1 || warmup < 0) {
		fputs("usage: pmkb-runlat [-r REPEAT] [-w WARMUP] -- CMD ARG... ('{}' = the input line)\n", stderr);
		return 64;
	}
	char **cmd = argv + optind;
	int ncmd = argc - optind;
	size_t cap = 1024, n = 0;
	double *v = malloc(cap * sizeof *v), *c = malloc(cap * sizeof *c);
	int codes[256] = {0};
	long fails = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	if (!v || !c)
		return 70;
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (!len)
			continue;
		for (int w = 0; w < warmup; w++) {
			double ms, cpu;
			run_one(cmd, ncmd, line, &ms, &cpu);
		}
		for (int r = 0; r < repeat; r++) {
			double ms = 0, cpu = 0;
			int rc = run_one(cmd, ncmd, line, &ms, &cpu);
			if (rc < 0) {
				fprintf(stderr, "pmkb-runlat: cannot run '%s': %s\n", cmd[0], strerror(errno));
				return 71;
			}
			codes[rc & 255]++;
			if (rc != 0 && rc != 1) /* 1 = no match / no hit: a valid answer */
				fails++;
			if (n == cap) {
				cap *= 2;
				double *nv = realloc(v, cap * sizeof *v), *nc = realloc(c, cap * sizeof *c);
				if (nv)
					v = nv;
				if (nc)
					c = nc;
				if (!nv || !nc)
					return 70;
			}
			c[n] = cpu;
			v[n++] = ms;
		}
	}
	free(line);
	qsort(v, n, sizeof *v, cmp_double);
	qsort(c, n, sizeof *c, cmp_double);
	double sum = 0, csum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
		csum += c[i];
	}
	printf("runs=%zu p50=%.2f p95=%.2f p99=%.2f mean=%.2f max=%.2f fails=%ld exit=", n, pct(v, n, 0.50),
	       pct(v, n, 0.95), pct(v, n, 0.99), n ? sum / (double)n : 0, n ? v[n - 1] : 0, fails);
	int first = 1;
	for (int c = 0; c < 256; c++)
		if (codes[c]) {
			printf("%s%d:%d", first ? "" : ",", c, codes[c]);
			first = 0;
		}
	printf(" cpu_p50=%.2f cpu_p95=%.2f cpu_p99=%.2f cpu_mean=%.2f", pct(c, n, 0.50), pct(c, n, 0.95),
	       pct(c, n, 0.99), n ? csum / (double)n : 0);
	printf("\n");
	free(v);
	free(c);
	return 0;
}
