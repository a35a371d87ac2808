"""Retrying flaky calls, such as requests to the cover image service."""

import functools
import random
import time


def retry(attempts=5, base_delay=0.2, max_delay=5.0, exceptions=(IOError,)):
    """Decorator: call the function again when it raises one of `exceptions`, waiting
    exponentially longer each time (with random jitter), and give up after `attempts` tries."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                    delay = min(max_delay, base_delay * 2 ** (attempt - 1))
                    time.sleep(delay * random.uniform(0.5, 1.5))

        return wrapper

    return decorate
