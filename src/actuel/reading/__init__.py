"""What readers see of a story: its headline in each language, its timeline, its quotes gathered.

Rules on plain data (members' languages, derivations, dates, quotes), neither a stage nor storage:
the store applies them to the rows it reads, the stages to what they make (what makes two quotes
one). They import the model and the neutral helpers only.
"""
