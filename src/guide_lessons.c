/*
 * guide_lessons.c - find and load the lessons of guided mode: files in
 * the format of tcpstep-lesson(5) (src/lesson.c parses them), so a
 * teacher changes what the guide teaches without touching C.
 *
 * The lessons are looked for where each kind of run has them: a
 * directory the user names ($TCPSTEP_LESSONS), the source tree when
 * tcpstep runs from its build directory, the installed tree found from
 * the executable (so an install moved elsewhere, or staged with
 * DESTDIR, still finds its own), and last the directory compiled in.
 * A missing or broken directory is no reason to refuse the lab itself:
 * guided mode then has no lesson and says why.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guide_lessons.h"
#include "lesson.h"

#ifndef TCPSTEP_LESSON_DIR
#define TCPSTEP_LESSON_DIR	"/usr/local/share/tcpstep/lessons"
#endif

struct guide_lesson *guide_lessons;
int guide_nlessons;
static char guide_why[PATH_MAX + 256] = "no lessons are loaded";

static int
guide_lessons_isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The lesson directory, into dir; -1 with the reason in err when there is
 * none. $TCPSTEP_LESSONS, when set, is the only place looked at: a typo
 * in it must not silently load other lessons.
 */
static int
guide_lessons_dir(char *dir, size_t len, char *err, size_t errlen)
{
	const char *env = getenv("TCPSTEP_LESSONS");
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (env != NULL && *env != '\0') {
		if (!guide_lessons_isdir(env)) {
			snprintf(err, errlen, "TCPSTEP_LESSONS '%s': no such "
			    "directory", env);
			return -1;
		}
		snprintf(dir, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		/* The build directory: lessons/ beside ./tcpstep. */
		if ((size_t)snprintf(dir, len, "%s/lessons", exe) < len &&
		    guide_lessons_isdir(dir))
			return 0;
		/* An installed tree, wherever it was put: bin/../share. */
		if ((size_t)snprintf(dir, len, "%s/../share/tcpstep/lessons",
		    exe) < len && guide_lessons_isdir(dir))
			return 0;
	}
	snprintf(dir, len, "%s", TCPSTEP_LESSON_DIR);
	if (guide_lessons_isdir(dir))
		return 0;
	snprintf(err, errlen, "no lesson directory: %s does not exist "
	    "(install tcpstep, or set TCPSTEP_LESSONS to a directory of "
	    "*.lesson files)", TCPSTEP_LESSON_DIR);
	return -1;
}

static int
guide_lessons_is_lesson(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 7 &&
	    strcmp(d->d_name + n - 7, ".lesson") == 0;
}

/* Parse n files into a new array of lessons; NULL with err on a bad one. */
static struct guide_lesson *
guide_lessons_parse(char **files, int n, char *err, size_t errlen)
{
	struct guide_lesson *l;
	int i, k;

	if ((l = calloc(n > 0 ? n : 1, sizeof *l)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (lesson_load(files[i], &l[i], err, errlen) == -1) {
			for (k = 0; k < i; k++)
				lesson_free(&l[k]);
			free(l);
			return NULL;
		}
	return l;
}

/* Replace the loaded lessons with n others (taking the array). */
static void
guide_lessons_set(struct guide_lesson *l, int n)
{
	guide_lessons_free();
	guide_lessons = l;
	guide_nlessons = n;
	guide_why[0] = '\0';
}

int
guide_lessons_load(char *err, size_t errlen)
{
	char dir[PATH_MAX], **files = NULL;
	struct dirent **names = NULL;
	struct guide_lesson *l = NULL;
	int n = 0, i, status = -1;

	if (guide_lessons_dir(dir, sizeof dir, err, errlen) == -1)
		goto done;
	if ((n = scandir(dir, &names, guide_lessons_is_lesson,
	    alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto done;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: no *.lesson files", dir);
		goto done;
	}
	if ((files = calloc(n, sizeof *files)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (asprintf(&files[i], "%s/%s", dir, names[i]->d_name) == -1) {
			files[i] = NULL;
			snprintf(err, errlen, "out of memory");
			goto done;
		}
	if ((l = guide_lessons_parse(files, n, err, errlen)) == NULL)
		goto done;
	guide_lessons_set(l, n);
	status = 0;
done:
	for (i = 0; names != NULL && i < n; i++) {
		if (files != NULL)
			free(files[i]);
		free(names[i]);
	}
	free(names);
	free(files);
	if (status == -1)
		snprintf(guide_why, sizeof guide_why, "%s", err);
	return status;
}

int
guide_lessons_add(char **files, int n, int replace, char *err,
    size_t errlen)
{
	struct guide_lesson *l, *all;
	int old = replace ? 0 : guide_nlessons;

	if ((l = guide_lessons_parse(files, n, err, errlen)) == NULL)
		return -1;
	if ((all = calloc(n + old, sizeof *all)) == NULL) {
		snprintf(err, errlen, "out of memory");
		while (n-- > 0)
			lesson_free(&l[n]);
		free(l);
		return -1;
	}
	/* A lesson owns only its text buffer: moving the struct moves it. */
	memcpy(all, l, n * sizeof *l);
	if (old > 0)
		memcpy(all + n, guide_lessons, old * sizeof *all);
	free(l);
	if (old > 0) {
		free(guide_lessons);
		guide_lessons = NULL;
		guide_nlessons = 0;
	}
	guide_lessons_set(all, n + old);
	return 0;
}

int
guide_lesson_fits(const struct guide_lesson *l, enum lab_role role)
{
	return role == LAB_ALL_IN_ONE || l->pair || l->role == role;
}

const char *
guide_lessons_why(void)
{
	return guide_nlessons > 0 ? "" : guide_why;
}

void
guide_lessons_free(void)
{
	int i;

	for (i = 0; i < guide_nlessons; i++)
		lesson_free(&guide_lessons[i]);
	free(guide_lessons);
	guide_lessons = NULL;
	guide_nlessons = 0;
	snprintf(guide_why, sizeof guide_why, "no lessons are loaded");
}
