// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt-collector: loads the tcprt programs (open → configure → load → attach), applies port
 * rules read from stdin (commands.h), and streams finished records and health frames to stdout until
 * SIGTERM/SIGINT or the end of stdin; then detaches everything through one cleanup path.
 * Options: options.h. With --output lines, stdout gets log lines and the frames another fd (output.h).
 * Diagnostics go to stderr as text.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tcprt.h"
#include "tcprt.skel.h"
#include "loader/commands.h"
#include "loader/options.h"
#include "loader/output.h"
#include "loader/preflight.h"
#include "loader/programs.h"
#include "loader/ring_entry.h"
#include "loader/rules.h"
#include "loader/stream.h"

#define MAX_LINE (256 * 1024)
/*
 * Records wait in their CPU's batch, and batches in the ring without waking us (wakeup_bytes in
 * bpf/maps.h): drain this often.
 */
#define DRAIN_INTERVAL_MS 100

struct collector {
	struct tcprt *skel;
	struct ring_buffer *ring;
	struct ring_reader reader;
	enum tcprt_ring_path ring_path;
	int batches; /* one per possible CPU (bpf/ring.h) */
	bool flush_error_reported;
	struct rule_maps rules;
	int cgroup_fd;
	__u32 attached_hooks;
	int stream_error; /* set when stdout fails: the reader is gone */
};

static volatile sig_atomic_t stop_requested;
static bool verbose;

static void on_signal(int signo)
{
	(void)signo;
	stop_requested = 1;
}

static int print_libbpf(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static __s64 realtime_minus_monotonic_ns(void)
{
	struct timespec mono_before, real, mono_after;

	clock_gettime(CLOCK_MONOTONIC, &mono_before);
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono_after);
	__s64 mono = ((__s64)mono_before.tv_sec + mono_after.tv_sec) * 500000000LL +
		     ((__s64)mono_before.tv_nsec + mono_after.tv_nsec) / 2;
	return (__s64)real.tv_sec * 1000000000LL + real.tv_nsec - mono;
}

static __u64 sum_counter(int fd, __u32 key)
{
	int cpus = libbpf_num_possible_cpus();
	__u64 values[cpus > 0 ? cpus : 1];
	__u64 total = 0;

	if (cpus <= 0 || bpf_map_lookup_elem(fd, &key, values))
		return 0;
	for (int i = 0; i < cpus; i++)
		total += values[i];
	return total;
}

static void write_frame(struct collector *c, __u16 type, const void *payload, __u32 length)
{
	if (!c->stream_error)
		c->stream_error = output_frame(type, payload, length);
}

static void write_health(struct collector *c)
{
	int fd = bpf_map__fd(c->skel->maps.counters);
	struct tcprt_health h = {
		.realtime_minus_monotonic_ns = realtime_minus_monotonic_ns(),
		.lost_ringbuf_full = sum_counter(fd, TCPRT_LOST_RINGBUF_FULL),
		.lost_storage_alloc = sum_counter(fd, TCPRT_LOST_STORAGE_ALLOC),
		.conns_tracked = sum_counter(fd, TCPRT_CONNS_TRACKED),
		.records_written = sum_counter(fd, TCPRT_RECORDS_WRITTEN),
		.attached_hooks = c->attached_hooks,
		.active = c->rules.active,
		.generation = c->rules.generation,
		.port_rules = c->rules.port_rules,
		.range_rules = c->rules.range_rules,
		.ring_path = c->ring_path,
	};

	output_set_clock_offset(h.realtime_minus_monotonic_ns);
	write_frame(c, TCPRT_FRAME_HEALTH, &h, sizeof(h));
}

static void deliver_record(void *ctx, const struct tcprt_record *record)
{
	struct collector *c = ctx;

	if (!c->stream_error)
		c->stream_error = output_record(record);
}

static int on_ring_sample(void *ctx, void *data, size_t size)
{
	struct collector *c = ctx;

	ring_sample_read(&c->reader, data, size);
	return 0;
}

/* Every batch into the ring (bpf/ring.h); false when one stayed taken through every try. */
static bool flush_batches(struct collector *c)
{
	int prog_fd = bpf_program__fd(c->skel->progs.tcprt_flush);
	bool all = true;

	/* Without batches (bpf/ring.h) nothing waits outside the ring: every round counts as flushed. */
	if (c->ring_path == TCPRT_RING_DIRECT)
		return true;

	for (__u64 index = 0; index < (__u64)c->batches; index++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &index, .ctx_size_in = sizeof(index));
		int err, tries = 0;

		do
			err = bpf_prog_test_run_opts(prog_fd, &opts);
		while (!err && opts.retval == TCPRT_FLUSH_BATCH_TAKEN && ++tries < 100);
		if (err && !c->flush_error_reported) {
			fprintf(stderr, "tcprt-collector: running the batch flush failed: %s (records wait until "
					"their batch is full, E records are held)\n", strerror(-err));
			c->flush_error_reported = true;
		}
		if (err || opts.retval)
			all = false;
	}
	return all;
}

/*
 * One drain round: the batches into the ring, the ring to the output, then the E records that
 * were read before the flush (ring_entry.h).
 */
static void drain_round(struct collector *c)
{
	if (flush_batches(c))
		ring_reader_flushed(&c->reader);
	if (ring_buffer__consume(c->ring) < 0)
		fprintf(stderr, "tcprt-collector: reading the ring buffer failed\n");
	ring_reader_release(&c->reader, false);
}

static int attach_cgroup(struct collector *c, struct bpf_program *prog, struct bpf_link **link, __u32 hook,
			 const char *what)
{
	*link = bpf_program__attach_cgroup(prog, c->cgroup_fd);
	if (!*link) {
		fprintf(stderr, "tcprt-collector: cannot attach %s to the cgroup v2 root: %s\n", what, strerror(errno));
		return -1;
	}
	c->attached_hooks |= hook;
	return 0;
}

/*
 * The cgroup_skb programs run for every packet the machine sends (egress) or receives (ingress),
 * but only http/https connections use egress (payload facts) and only https ones ingress (the
 * TLS record walk). Both are attached once at start to prove the kernel supports them, then
 * detached until the first rule set that needs them, and from then on stay attached: a
 * connection keeps its mode after its rule is gone.
 */
struct payload_hook {
	__u32 modes; /* bit 1 << enum tcprt_mode of the modes that need it */
	__u32 hook;  /* enum tcprt_hook */
	const char *name;
	struct bpf_program *prog;
	struct bpf_link **link;
};

#define PAYLOAD_HOOKS 2

static void payload_hooks_of(struct collector *c, struct payload_hook hooks[PAYLOAD_HOOKS])
{
	hooks[0] = (struct payload_hook){ (1u << TCPRT_MODE_HTTP) | (1u << TCPRT_MODE_HTTPS), TCPRT_HOOK_EGRESS,
					  "cgroup_skb/egress", c->skel->progs.tcprt_egress,
					  &c->skel->links.tcprt_egress };
	hooks[1] = (struct payload_hook){ (1u << TCPRT_MODE_HTTP) | (1u << TCPRT_MODE_HTTPS), TCPRT_HOOK_INGRESS, "cgroup_skb/ingress",
					  c->skel->progs.tcprt_ingress, &c->skel->links.tcprt_ingress };
}

static int attach_payload_hooks(void *ctx, __u32 modes, char *message, size_t message_size)
{
	struct payload_hook hooks[PAYLOAD_HOOKS];
	struct collector *c = ctx;

	payload_hooks_of(c, hooks);
	for (int i = 0; i < PAYLOAD_HOOKS; i++) {
		if (!(modes & hooks[i].modes) || *hooks[i].link)
			continue;
		if (attach_cgroup(c, hooks[i].prog, hooks[i].link, hooks[i].hook, hooks[i].name)) {
			int err = -errno;

			if (message)
				snprintf(message, message_size, "this rule set needs %s, which cannot be attached: %s",
					 hooks[i].name, strerror(-err));
			return err;
		}
	}
	return 0;
}

static void detach_payload_hooks(struct collector *c)
{
	struct payload_hook hooks[PAYLOAD_HOOKS];

	payload_hooks_of(c, hooks);
	for (int i = 0; i < PAYLOAD_HOOKS; i++) {
		bpf_link__destroy(*hooks[i].link);
		*hooks[i].link = NULL;
	}
}

static int start(struct collector *c, const struct loader_options *o)
{
	char cgroup_path[4096];
	int err;

	if (preflight_root() || preflight_btf())
		return -1;
	if (o->cgroup_path)
		snprintf(cgroup_path, sizeof(cgroup_path), "%s", o->cgroup_path);
	else if (preflight_find_cgroup2(cgroup_path, sizeof(cgroup_path)))
		return -1;
	c->cgroup_fd = open(cgroup_path, O_RDONLY | O_DIRECTORY);
	if (c->cgroup_fd < 0) {
		fprintf(stderr, "tcprt-collector: cannot open cgroup %s: %s\n", cgroup_path, strerror(errno));
		return -1;
	}

	c->skel = programs_open(&c->ring_path);
	if (!c->skel) {
		fprintf(stderr, "tcprt-collector: cannot open the BPF object: %s\n", strerror(errno));
		return -1;
	}
	c->batches = libbpf_num_possible_cpus();
	if (c->batches < 0) {
		fprintf(stderr, "tcprt-collector: cannot count the CPUs: %s\n", strerror(-c->batches));
		return -1;
	}
	c->skel->rodata->wakeup_bytes = o->ringbuf_bytes / 4;
	err = bpf_map__set_max_entries(c->skel->maps.records, o->ringbuf_bytes);
	if (!err)
		err = bpf_map__set_max_entries(c->skel->maps.batches, c->batches);
	if (!err)
		err = tcprt__load(c->skel);
	if (err) {
		fprintf(stderr, "tcprt-collector: loading the BPF programs failed: %s (the verifier log, if any, "
				"is above; kernel 5.12+ with BTF, sockops, ring buffer and tp_btf is required)\n",
			strerror(-err));
		return -1;
	}
	if (rules_init(&c->rules, bpf_map__fd(c->skel->maps.port_rules), bpf_map__fd(c->skel->maps.range_rules),
		       bpf_map__fd(c->skel->maps.tcprt_config), bpf_map__fd(c->skel->maps.first_frame_steps))) {
		fprintf(stderr, "tcprt-collector: cannot initialise the rule maps: %s\n", strerror(errno));
		return -1;
	}
	c->rules.prepare_modes = attach_payload_hooks;
	c->rules.prepare_modes_ctx = c;

	if (attach_cgroup(c, c->skel->progs.tcprt_sockops, &c->skel->links.tcprt_sockops, TCPRT_HOOK_SOCKOPS,
			  "sockops") ||
	    attach_payload_hooks(c, ~0u, NULL, 0))
		return -1;
	detach_payload_hooks(c);
	c->skel->links.tcprt_tcp_probe = bpf_program__attach(c->skel->progs.tcprt_tcp_probe);
	if (!c->skel->links.tcprt_tcp_probe) {
		fprintf(stderr, "tcprt-collector: cannot attach tp_btf/tcp_probe: %s\n", strerror(errno));
		return -1;
	}
	c->attached_hooks |= TCPRT_HOOK_TCP_PROBE;
	c->skel->links.tcprt_receive_reset = bpf_program__attach(c->skel->progs.tcprt_receive_reset);
	if (!c->skel->links.tcprt_receive_reset) {
		fprintf(stderr, "tcprt-collector: cannot attach tp_btf/tcp_receive_reset: %s\n", strerror(errno));
		return -1;
	}
	c->attached_hooks |= TCPRT_HOOK_RECEIVE_RESET;

	ring_reader_init(&c->reader, deliver_record, c);
	c->ring = ring_buffer__new(bpf_map__fd(c->skel->maps.records), on_ring_sample, c, NULL);
	if (!c->ring) {
		fprintf(stderr, "tcprt-collector: cannot open the ring buffer: %s\n", strerror(errno));
		return -1;
	}
	fprintf(stderr, "tcprt-collector: attached sockops, tp_btf/tcp_probe and tp_btf/tcp_receive_reset at %s "
			"(cgroup_skb/egress and cgroup_skb/ingress: with the first http or https rule); records: %s\n",
		cgroup_path, programs_ring_path_name(c->ring_path));
	return 0;
}

/* Takes every complete line out of buffer; returns false on end of input. */
static bool read_commands(struct collector *c, char *buffer, size_t *used)
{
	ssize_t n = read(STDIN_FILENO, buffer + *used, MAX_LINE - *used);
	char *line = buffer, *newline;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	*used += (size_t)n;
	while ((newline = memchr(line, '\n', buffer + *used - line))) {
		struct tcprt_config_ack ack;

		*newline = '\0';
		if (*line) {
			command_handle(&c->rules, line, &ack);
			if (ack.error)
				fprintf(stderr, "tcprt-collector: command %u rejected: %s\n", ack.id, ack.message);
			write_frame(c, TCPRT_FRAME_CONFIG_ACK, &ack, sizeof(ack));
		}
		line = newline + 1;
	}
	*used -= (size_t)(line - buffer);
	memmove(buffer, line, *used);
	if (*used == MAX_LINE) {
		fprintf(stderr, "tcprt-collector: command line longer than %d bytes dropped\n", MAX_LINE);
		*used = 0;
	}
	return true;
}

static __u64 now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (__u64)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int run(struct collector *c, const struct loader_options *o)
{
	static char commands[MAX_LINE];
	size_t used = 0;
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = ring_buffer__epoll_fd(c->ring), .events = POLLIN },
	};
	__u64 next_health = now_ms() + o->health_interval_ms;
	bool input_open = true;

	write_health(c);
	while (!stop_requested && input_open && !c->stream_error) {
		__u64 now = now_ms();
		int timeout = next_health > now ? (int)(next_health - now) : 0;

		if (timeout > DRAIN_INTERVAL_MS)
			timeout = DRAIN_INTERVAL_MS;

		if (poll(fds, 2, timeout) < 0 && errno != EINTR) {
			perror("tcprt-collector: poll");
			return -1;
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
			input_open = read_commands(c, commands, &used);
		drain_round(c);
		if (now_ms() >= next_health) {
			write_health(c);
			next_health += o->health_interval_ms;
		}
		if (!c->stream_error)
			c->stream_error = output_flush();
	}
	/* Records already written are delivered before exiting. */
	drain_round(c);
	ring_reader_release(&c->reader, true);
	write_health(c);
	if (!c->stream_error)
		c->stream_error = output_flush();
	if (c->stream_error)
		fprintf(stderr, "tcprt-collector: %s closed (%s), stopping\n",
			output_stdout_closed() ? "stdout" : "the frame stream", strerror(-c->stream_error));
	return 0;
}

/* The one cleanup path: destroying the skeleton detaches every link and closes every map. */
static void cleanup(struct collector *c)
{
	ring_buffer__free(c->ring);
	ring_reader_free(&c->reader);
	tcprt__destroy(c->skel);
	if (c->cgroup_fd >= 0)
		close(c->cgroup_fd);
}

int main(int argc, char **argv)
{
	struct collector c = { .cgroup_fd = -1 };
	struct sigaction stop = { .sa_handler = on_signal };
	struct loader_options o;
	int err;

	if (options_parse(argc, argv, &o))
		return 2;
	output_init(o.output, o.frames_fd);
	verbose = o.verbose;
	libbpf_set_print(print_libbpf);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGINT, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (stream_write_header() == 0 && start(&c, &o) == 0) {
		err = run(&c, &o);
	} else {
		err = -1;
	}
	cleanup(&c);
	if (!err)
		fprintf(stderr, "tcprt-collector: detached\n");
	return err ? 1 : output_stdout_closed() ? OUTPUT_EXIT_STDOUT_CLOSED : 0;
}
