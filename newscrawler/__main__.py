from newscrawler.cli import run

run()
