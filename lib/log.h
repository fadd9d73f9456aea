/* Levelled logging to stderr, shared by every module (no DPDK). */
#ifndef MESHPLANE_LOG_H
#define MESHPLANE_LOG_H

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARNING, LOG_LEVEL_NOTICE, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Sets the most verbose level that is printed (default LOG_LEVEL_NOTICE). */
void log_set_level(enum log_level level);

/* Returns the current level. */
enum log_level log_get_level(void);

/* Parses "error", "warning", "notice", "info" or "debug"; -1 when unknown. */
int log_level_parse(const char *name);

/* Returns the name of a level ("error" ... "debug"). */
const char *log_level_name(enum log_level level);

/* Prints "meshplane: <level>: <message>\n" to stderr when level is enabled. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_ERR(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define LOG_NOTICE(...) log_msg(LOG_LEVEL_NOTICE, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
